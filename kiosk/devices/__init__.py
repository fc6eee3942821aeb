"""Device adapters only: the badge reader, the scanner's key bursts, the camera and the printer.

Pure parsers (no Qt, no I/O) and the thin threads that feed them. What a device is given to
print is drawn in kiosk.printing; what `kiosk decode` does lives beside the CLI.
"""
