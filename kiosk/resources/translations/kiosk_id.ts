<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>AdminFlow</name>
    <message>
        <source>Account unlocked.</source>
        <translation>Akun sudah dibuka.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to unlock the account</source>
        <translation>{name}: ketik PIN untuk membuka akun</translation>
    </message>
    <message>
        <source>Close the kiosk program?</source>
        <translation>Tutup program kiosk?</translation>
    </message>
    <message>
        <source>The line cannot log in or record until it is started again.</source>
        <translation>Line tidak bisa login atau mencatat sampai program dijalankan lagi.</translation>
    </message>
    <message>
        <source>No, keep it running</source>
        <translation>Tidak, biarkan jalan</translation>
    </message>
    <message>
        <source>Close it</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Badge bound to {name}.</source>
        <translation>Lencana dipasang ke {name}.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to bind the badge to {holder}</source>
        <translation>{name}: ketik PIN untuk memasang lencana ke {holder}</translation>
    </message>
    <message>
        <source>The badge of {name} no longer logs in.</source>
        <translation>Lencana {name} tidak bisa dipakai login lagi.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to unbind the badge</source>
        <translation>{name}: ketik PIN untuk melepas lencana</translation>
    </message>
    <message>
        <source>Unbind this badge?</source>
        <translation>Lepas lencana ini?</translation>
    </message>
    <message>
        <source>The badge stops working at once; the user can still log in with the PIN.</source>
        <translation>Lencana langsung tidak berlaku; orangnya masih bisa login dengan PIN.</translation>
    </message>
    <message>
        <source>No, keep it</source>
        <translation>Tidak, simpan</translation>
    </message>
    <message>
        <source>Unbind</source>
        <translation>Lepas</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>Close the kiosk program</source>
        <translation>Tutup program kiosk</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Orang</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>Work orders</source>
        <translation>SPK</translation>
    </message>
    <message>
        <source>Badges</source>
        <translation>Lencana</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Perangkat</translation>
    </message>
    <message>
        <source>Integration keys</source>
        <translation>Kunci integrasi</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <source>Kiosk settings</source>
        <translation>Pengaturan kiosk</translation>
    </message>
    <message>
        <source>Locked accounts</source>
        <translation>Akun terkunci</translation>
    </message>
    <message>
        <source>No locked accounts.</source>
        <translation>Tidak ada akun terkunci.</translation>
    </message>
    <message>
        <source>Effective settings and where they come from</source>
        <translation>Pengaturan yang berlaku dan asalnya</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Nilai</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Asal</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Buka kunci</translation>
    </message>
    <message>
        <source>default</source>
        <translation>bawaan</translation>
    </message>
    <message>
        <source>command line</source>
        <translation>baris perintah</translation>
    </message>
    <message>
        <source>set at the kiosk</source>
        <translation>diatur di kiosk</translation>
    </message>
    <message>
        <source>environment {name}</source>
        <translation>variabel {name}</translation>
    </message>
    <message>
        <source>file {path}</source>
        <translation>file {path}</translation>
    </message>
</context>
<context>
    <name>ApproverPinScreen</name>
    <message>
        <source>{name}: type your PIN to decide the held batch</source>
        <translation>{name}: ketik PIN untuk memutuskan batch yang ditahan</translation>
    </message>
</context>
<context>
    <name>AuditFlow</name>
    <message>
        <source>{name}: type your PIN to read the audit</source>
        <translation>{name}: ketik PIN untuk membaca audit</translation>
    </message>
    <message>
        <source>the server</source>
        <translation>server</translation>
    </message>
    <message>
        <source>{count} entries exported.</source>
        <translation>{count} catatan diekspor.</translation>
    </message>
    <message>
        <source>The file is {path}</source>
        <translation>Filenya: {path}</translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <source>Export to CSV</source>
        <translation>Ekspor ke CSV</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Sebelumnya</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Berikutnya</translation>
    </message>
    <message>
        <source>Clear
filters</source>
        <translation>Hapus
filter</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Cari</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Orang</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Hari</translation>
    </message>
    <message>
        <source>any</source>
        <translation>semua</translation>
    </message>
    <message>
        <source>No entries match these filters.</source>
        <translation>Tidak ada catatan yang cocok.</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Buka</translation>
    </message>
    <message>
        <source>Page {page}</source>
        <translation>Halaman {page}</translation>
    </message>
    <message>
        <source>details: {details}</source>
        <translation>rincian: {details}</translation>
    </message>
</context>
<context>
    <name>BadgeScreen</name>
    <message>
        <source>Badges</source>
        <translation>Lencana</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>✓ has a badge</source>
        <translation>✓ punya lencana</translation>
    </message>
    <message>
        <source>○ no badge</source>
        <translation>○ tanpa lencana</translation>
    </message>
    <message>
        <source>Replace badge</source>
        <translation>Ganti lencana</translation>
    </message>
    <message>
        <source>Bind badge</source>
        <translation>Pasang lencana</translation>
    </message>
    <message>
        <source>Unbind</source>
        <translation>Lepas</translation>
    </message>
    <message>
        <source>Tap the badge for {name} ({employee_no}) on the reader, or scan it.</source>
        <translation>Tempel lencana {name} ({employee_no}) ke pembaca, atau scan.</translation>
    </message>
</context>
<context>
    <name>Boards</name>
    <message>
        <source>locked until {time}</source>
        <translation>terkunci sampai {time}</translation>
    </message>
</context>
<context>
    <name>BootstrapScreen</name>
    <message>
        <source>Line kiosk - setting up</source>
        <translation>Line kiosk - penyiapan</translation>
    </message>
    <message>
        <source>Setting up this kiosk for {where}</source>
        <translation>Menyiapkan kiosk ini untuk {where}</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>Menghubungi server…</translation>
    </message>
    <message>
        <source>Downloading the line&apos;s work orders, people and stock: {percent}%</source>
        <translation>Mengunduh SPK, orang dan stok line: {percent}%</translation>
    </message>
    <message>
        <source>The server cannot be reached. Trying again in {seconds} s.</source>
        <translation>Server tidak bisa dihubungi. Coba lagi dalam {seconds} dtk.</translation>
    </message>
    <message>
        <source>The server refused this kiosk. Ask the admin to enrol it again.</source>
        <translation>Server menolak kiosk ini. Minta admin mendaftarkannya lagi.</translation>
    </message>
    <message>
        <source>The server had a problem ({error}). Trying again.</source>
        <translation>Server ada masalah ({error}). Mencoba lagi.</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <source>Hold the paper closer</source>
        <translation>Dekatkan kertasnya</translation>
    </message>
    <message>
        <source>Tilt away from the light</source>
        <translation>Miringkan agar tidak silau</translation>
    </message>
    <message>
        <source>Hold the code inside the box</source>
        <translation>Tahan kode di dalam kotak</translation>
    </message>
    <message>
        <source>Starting camera…</source>
        <translation>Menyalakan kamera…</translation>
    </message>
    <message>
        <source>Camera unplugged - retrying</source>
        <translation>Kamera tercabut - mencoba lagi</translation>
    </message>
    <message>
        <source>Camera off</source>
        <translation>Kamera mati</translation>
    </message>
</context>
<context>
    <name>ChoosePinScreen</name>
    <message>
        <source>Next</source>
        <translation>Berikutnya</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Nanti saja</translation>
    </message>
    <message>
        <source>{name}, choose your PIN</source>
        <translation>{name}, pilih PIN</translation>
    </message>
    <message>
        <source>You have no PIN yet. Choose {min} to {max} digits that only you know, then type them again.</source>
        <translation>Anda belum punya PIN. Pilih {min} sampai {max} angka yang hanya Anda tahu, lalu ketik sekali lagi.</translation>
    </message>
    <message>
        <source>Not now? Your badge logs you in without a PIN.</source>
        <translation>Nanti saja? Lencana Anda bisa untuk login tanpa PIN.</translation>
    </message>
    <message>
        <source>{name}, type the same PIN again</source>
        <translation>{name}, ketik PIN yang sama lagi</translation>
    </message>
    <message>
        <source>Save PIN</source>
        <translation>Simpan PIN</translation>
    </message>
</context>
<context>
    <name>CorrectionFlow</name>
    <message>
        <source>Why void {good} good and {reject} reject recorded by {name}?</source>
        <translation>Kenapa batalkan {good} bagus dan {reject} reject yang dicatat {name}?</translation>
    </message>
    <message>
        <source>Why correct it from {old_good} good, {old_reject} reject?</source>
        <translation>Kenapa diubah dari {old_good} bagus, {old_reject} reject?</translation>
    </message>
    <message>
        <source>Void {good} good, {reject} reject by {name}. Reason: {reason}.</source>
        <translation>Batalkan {good} bagus, {reject} reject oleh {name}. Alasan: {reason}.</translation>
    </message>
    <message>
        <source>Correct {name}&apos;s entry to {good} good, {reject} reject. Reason: {reason}.</source>
        <translation>Ubah catatan {name} jadi {good} bagus, {reject} reject. Alasan: {reason}.</translation>
    </message>
    <message>
        <source>Entry voided: its {good} good and {reject} reject no longer count.</source>
        <translation>Catatan dibatalkan: {good} bagus dan {reject} reject tidak dihitung lagi.</translation>
    </message>
    <message>
        <source>Entry corrected to {good} good, {reject} reject.</source>
        <translation>Catatan diubah jadi {good} bagus, {reject} reject.</translation>
    </message>
    <message>
        <source>Approved by {name}.</source>
        <translation>Disetujui oleh {name}.</translation>
    </message>
</context>
<context>
    <name>CorrectionPinScreen</name>
    <message>
        <source>{name}: type your PIN to approve the correction</source>
        <translation>{name}: ketik PIN untuk menyetujui koreksi</translation>
    </message>
</context>
<context>
    <name>CorrectionScreen</name>
    <message>
        <source>◀  Back to the work order</source>
        <translation>◀  Kembali ke SPK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Cancel: leave the entry as it is</source>
        <translation>Batal: catatan tetap seperti semula</translation>
    </message>
    <message>
        <source>Recent entries of {number}: {good} good, {reject} reject in total</source>
        <translation>Catatan terakhir {number}: total {good} bagus, {reject} reject</translation>
    </message>
    <message>
        <source>You can correct or void your own entry for a few minutes after recording it. Older entries, and other people&apos;s, need a supervisor&apos;s badge and PIN.</source>
        <translation>Catatan sendiri bisa dikoreksi atau dibatalkan beberapa menit setelah dicatat. Catatan lama, dan catatan orang lain, perlu lencana dan PIN supervisor.</translation>
    </message>
    <message>
        <source>No quantities are recorded on this work order yet.</source>
        <translation>Belum ada jumlah yang dicatat di SPK ini.</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>Koreksi</translation>
    </message>
    <message>
        <source>Correct: supervisor</source>
        <translation>Koreksi: supervisor</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>Batalkan</translation>
    </message>
    <message>
        <source>Void: supervisor</source>
        <translation>Batalkan: supervisor</translation>
    </message>
    <message>
        <source>{good} good · {reject} reject</source>
        <translation>{good} bagus · {reject} reject</translation>
    </message>
    <message>
        <source> · VOIDED: no longer counts</source>
        <translation> · DIBATALKAN: tidak dihitung</translation>
    </message>
    <message>
        <source> · corrected (recorded as {good} good, {reject} reject)</source>
        <translation> · dikoreksi (dicatat {good} bagus, {reject} reject)</translation>
    </message>
    <message>
        <source>{time} · {name}
{counts}{state}</source>
        <translation>{time} · {name}
{counts}{state}</translation>
    </message>
    <message>
        <source>{name}&apos;s entry of {time}: {good} good, {reject} reject</source>
        <translation>Catatan {name} jam {time}: {good} bagus, {reject} reject</translation>
    </message>
    <message>
        <source>A supervisor of {department}: tap your badge to approve</source>
        <translation>Supervisor {department}: tempel lencana untuk menyetujui</translation>
    </message>
</context>
<context>
    <name>DeviceStatus</name>
    <message>
        <source>No printer is set up: {id} was not printed.</source>
        <translation>Printer belum diatur: {id} tidak dicetak.</translation>
    </message>
    <message>
        <source>Ask the admin to set the printer; the slip can be reprinted later.</source>
        <translation>Minta admin mengatur printer; slip bisa dicetak ulang nanti.</translation>
    </message>
    <message>
        <source>{id} could not be printed.</source>
        <translation>{id} tidak bisa dicetak.</translation>
    </message>
    <message>
        <source>Check the printer, then use Reprint. Nothing else was lost.</source>
        <translation>Periksa printer, lalu tekan Cetak ulang. Tidak ada yang hilang.</translation>
    </message>
</context>
<context>
    <name>DevicesFlow</name>
    <message>
        <source>{name}: type your PIN to manage the devices</source>
        <translation>{name}: ketik PIN untuk mengatur perangkat</translation>
    </message>
    <message>
        <source>This kiosk: {row}</source>
        <translation>Kiosk ini: {row}</translation>
    </message>
    <message>
        <source>desktop {department}</source>
        <translation>desktop {department}</translation>
    </message>
    <message>
        <source>last seen {when}</source>
        <translation>terakhir terlihat {when}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>belum pernah</translation>
    </message>
    <message>
        <source>clock in step</source>
        <translation>jam cocok</translation>
    </message>
    <message>
        <source>clock {offset:+.0f} s off</source>
        <translation>jam selisih {offset:+.0f} dtk</translation>
    </message>
    <message>
        <source>{count} events held</source>
        <translation>{count} kejadian ditahan</translation>
    </message>
    <message>
        <source>{count} events waiting</source>
        <translation>{count} kejadian menunggu</translation>
    </message>
    <message>
        <source>version {version}</source>
        <translation>versi {version}</translation>
    </message>
    <message>
        <source>REVOKED {when}</source>
        <translation>DICABUT {when}</translation>
    </message>
    <message>
        <source>a desktop of {department}</source>
        <translation>desktop {department}</translation>
    </message>
    <message>
        <source>{name}: type your PIN to create an enrolment code</source>
        <translation>{name}: ketik PIN untuk membuat kode pendaftaran</translation>
    </message>
    <message>
        <source>{name}: type your PIN to revoke {device}</source>
        <translation>{name}: ketik PIN untuk mencabut {device}</translation>
    </message>
    <message>
        <source>{device} is revoked: the server refuses it from now on.</source>
        <translation>{device} dicabut: server menolaknya mulai sekarang.</translation>
    </message>
    <message>
        <source>Revoke {device}?</source>
        <translation>Cabut {device}?</translation>
    </message>
    <message>
        <source>The server refuses its sync from now on; it must be enrolled again with a new code to work.</source>
        <translation>Server menolak sinkronnya mulai sekarang; perlu didaftarkan lagi dengan kode baru supaya bisa dipakai.</translation>
    </message>
    <message>
        <source>No, keep it</source>
        <translation>Tidak, simpan</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Cabut</translation>
    </message>
</context>
<context>
    <name>DevicesScreen</name>
    <message>
        <source>Devices</source>
        <translation>Perangkat</translation>
    </message>
    <message>
        <source>New enrolment code</source>
        <translation>Kode pendaftaran baru</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>No devices are enrolled yet.</source>
        <translation>Belum ada perangkat terdaftar.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Cabut</translation>
    </message>
    <message>
        <source>The new kiosk serves:</source>
        <translation>Kiosk baru ini untuk:</translation>
    </message>
    <message>
        <source>Desktop: {department}</source>
        <translation>Desktop: {department}</translation>
    </message>
    <message>
        <source>Enrolment code for {target}</source>
        <translation>Kode pendaftaran untuk {target}</translation>
    </message>
    <message>
        <source>Type it on the new kiosk&apos;s setup screen. It works once, until {when}.</source>
        <translation>Ketik kode ini di layar penyiapan kiosk baru. Hanya bisa dipakai sekali, sampai {when}.</translation>
    </message>
    <message>
        <source>Show the QR code to the new kiosk&apos;s camera or scanner, or type the digits on its setup screen. It works once, until {when}.</source>
        <translation>Tunjukkan kode QR ke kamera atau scanner kiosk baru, atau ketik angkanya di layar penyiapan. Hanya bisa dipakai sekali, sampai {when}.</translation>
    </message>
</context>
<context>
    <name>DigitEntryPage</name>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
</context>
<context>
    <name>FirstPinFlow</name>
    <message>
        <source>Your PIN is saved.</source>
        <translation>PIN Anda sudah disimpan.</translation>
    </message>
    <message>
        <source>To log in here, tap your badge first, then type your PIN.</source>
        <translation>Untuk login di sini, tempel lencana dulu, lalu ketik PIN.</translation>
    </message>
    <message>
        <source>No PIN was chosen in time; nothing was saved.</source>
        <translation>PIN tidak dipilih tepat waktu; tidak ada yang disimpan.</translation>
    </message>
    <message>
        <source>Tap your badge (or type your setup code) again to choose your PIN.</source>
        <translation>Tempel lencana (atau ketik kode penyiapan) lagi untuk memilih PIN.</translation>
    </message>
</context>
<context>
    <name>Handoff</name>
    <message>
        <source>state unknown</source>
        <translation>keadaan tidak diketahui</translation>
    </message>
    <message>
        <source>free</source>
        <translation>kosong</translation>
    </message>
    <message>
        <source>holds {number} since {time}
{article} · for {destination}</source>
        <translation>berisi {number} sejak {time}
{article} · untuk {destination}</translation>
    </message>
    <message>
        <source>(last heard {time})</source>
        <translation>(kabar terakhir {time})</translation>
    </message>
    <message>
        <source>sent {sent}, counted {counted}</source>
        <translation>dikirim {sent}, dihitung {counted}</translation>
    </message>
    <message>
        <source>sent {sent}, counted {first} then {counted} on the recount</source>
        <translation>dikirim {sent}, dihitung {first} lalu {counted} saat hitung ulang</translation>
    </message>
    <message>
        <source>⇢ sent at {time}, not received yet</source>
        <translation>⇢ dikirim jam {time}, belum diterima</translation>
    </message>
</context>
<context>
    <name>HandoffScreen</name>
    <message>
        <source>Handoffs of this work order</source>
        <translation>Serah terima SPK ini</translation>
    </message>
    <message>
        <source>◀  Back</source>
        <translation>◀  Kembali</translation>
    </message>
    <message>
        <source>Pieces to send</source>
        <translation>Jumlah dikirim</translation>
    </message>
    <message>
        <source>Prepare and print slip</source>
        <translation>Siapkan dan cetak slip</translation>
    </message>
    <message>
        <source>Hand over {number}</source>
        <translation>Serahkan {number}</translation>
    </message>
    <message>
        <source>{article} · for {destination}</source>
        <translation>{article} · untuk {destination}</translation>
    </message>
    <message>
        <source>{n} pieces good and not yet sent</source>
        <translation>{n} pcs bagus belum dikirim</translation>
    </message>
    <message>
        <source>To a line of {department}</source>
        <translation>Ke line {department}</translation>
    </message>
    <message>
        <source>⛔ blocked: {state}</source>
        <translation>⛔ terhalang: {state}</translation>
    </message>
    <message>
        <source>⛔ blocked (other destination): {state}</source>
        <translation>⛔ terhalang (tujuan lain): {state}</translation>
    </message>
    <message>
        <source>? {state} - its kiosk will check</source>
        <translation>? {state} - kiosknya akan memeriksa</translation>
    </message>
    <message>
        <source>✔ {state}</source>
        <translation>✔ {state}</translation>
    </message>
    <message>
        <source>{qty} → {line} · {status} · {slip}</source>
        <translation>{qty} → {line} · {status} · {slip}</translation>
    </message>
    <message>
        <source>({n} accepted)</source>
        <translation>({n} diterima)</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Cetak ulang</translation>
    </message>
    <message>
        <source>None yet.</source>
        <translation>Belum ada.</translation>
    </message>
</context>
<context>
    <name>HandshakeFlow</name>
    <message>
        <source>{qty} pieces locked for {line}. Slip {slip} is printing.</source>
        <translation>{qty} pcs dikunci untuk {line}. Slip {slip} sedang dicetak.</translation>
    </message>
    <message>
        <source>This kiosk does not know for sure that {line} is clear: its own kiosk checks when the slip is scanned.</source>
        <translation>Kiosk ini tidak tahu pasti {line} kosong: kiosk line itu memeriksa saat slip di-scan.</translation>
    </message>
    <message>
        <source>Slip {slip} is printing again (copy {copy}).</source>
        <translation>Slip {slip} dicetak lagi (salinan {copy}).</translation>
    </message>
    <message>
        <source>P1 alert: {text}</source>
        <translation>Peringatan P1: {text}</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>{number}: {n} pieces accepted by {name}.</source>
        <translation>{number}: {n} pcs diterima oleh {name}.</translation>
    </message>
    <message>
        <source>{number}: the batch goes back, decided by {name}.</source>
        <translation>{number}: batch dikembalikan, diputuskan oleh {name}.</translation>
    </message>
    <message>
        <source>{number} was decided on another kiosk meanwhile.</source>
        <translation>{number} sudah diputuskan di kiosk lain.</translation>
    </message>
    <message>
        <source>Nothing was changed here. The header shows what the line holds now.</source>
        <translation>Tidak ada yang diubah di sini. Judul atas menunjukkan isi line sekarang.</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <source>Work orders</source>
        <translation>SPK</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Keluar</translation>
    </message>
</context>
<context>
    <name>HealthStrip</name>
    <message>
        <source>Sync stopped: the server&apos;s certificate is not the one this kiosk enrolled with. Ask the admin.</source>
        <translation>Sinkron berhenti: sertifikat server bukan yang dipakai saat kiosk ini didaftarkan. Tanya admin.</translation>
    </message>
    <message>
        <source>Sync stopped: the server&apos;s certificate is not trusted (not signed by the site&apos;s CA, or expired). Ask the admin.</source>
        <translation>Sinkron berhenti: sertifikat server tidak dipercaya (bukan dari CA pabrik, atau kedaluwarsa). Tanya admin.</translation>
    </message>
    <message>
        <source>Sync stopped: the server address is plain http://, not https://. Ask the admin.</source>
        <translation>Sinkron berhenti: alamat server masih http://, bukan https://. Tanya admin.</translation>
    </message>
    <message>
        <source>Sync: certificate changed</source>
        <translation>Sinkron: sertifikat berubah</translation>
    </message>
    <message>
        <source>Sync: certificate not trusted</source>
        <translation>Sinkron: sertifikat tidak dipercaya</translation>
    </message>
    <message>
        <source>Sync: address not https://</source>
        <translation>Sinkron: alamat bukan https://</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>Versi {version}</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>terhubung</translation>
    </message>
    <message>
        <source>reconnecting…</source>
        <translation>menyambung lagi…</translation>
    </message>
    <message>
        <source>error</source>
        <translation>ada masalah</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>belum diatur</translation>
    </message>
    <message>
        <source>Badge reader: {state}</source>
        <translation>Pembaca lencana: {state}</translation>
    </message>
    <message>
        <source>{n} bad reads</source>
        <translation>{n} bacaan rusak</translation>
    </message>
    <message>
        <source>Scanner: not seen yet</source>
        <translation>Scanner: belum terlihat</translation>
    </message>
    <message>
        <source>Scanner: seen {time}</source>
        <translation>Scanner: terlihat {time}</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>menyala…</translation>
    </message>
    <message>
        <source>on</source>
        <translation>nyala</translation>
    </message>
    <message>
        <source>unplugged - retrying</source>
        <translation>tercabut - mencoba lagi</translation>
    </message>
    <message>
        <source>Camera: {state}</source>
        <translation>Kamera: {state}</translation>
    </message>
    <message>
        <source>PDF to folder</source>
        <translation>PDF ke folder</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>siap</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>tidak ada</translation>
    </message>
    <message>
        <source>Printer: {state}</source>
        <translation>Printer: {state}</translation>
    </message>
    <message>
        <source>Sync: not set up</source>
        <translation>Sinkron: belum diatur</translation>
    </message>
    <message>
        <source>{n} waiting</source>
        <translation>{n} menunggu</translation>
    </message>
    <message>
        <source>never</source>
        <translation>belum pernah</translation>
    </message>
    <message>
        <source>Last sync: {time}</source>
        <translation>Sinkron terakhir: {time}</translation>
    </message>
    <message>
        <source>Sync: first download {percent}%</source>
        <translation>Sinkron: unduhan pertama {percent}%</translation>
    </message>
    <message>
        <source>Sync: held for an admin (audit check) - {waiting}</source>
        <translation>Sinkron: ditahan untuk admin (cek audit) - {waiting}</translation>
    </message>
    <message>
        <source>Sync: online · {waiting}</source>
        <translation>Sinkron: online · {waiting}</translation>
    </message>
    <message>
        <source>{n} refused</source>
        <translation>{n} ditolak</translation>
    </message>
    <message>
        <source>Sync: connecting… · {waiting}</source>
        <translation>Sinkron: menyambung… · {waiting}</translation>
    </message>
    <message>
        <source>Sync: offline - {waiting}</source>
        <translation>Sinkron: offline - {waiting}</translation>
    </message>
    <message>
        <source>Sync: refused by the server - ask the admin</source>
        <translation>Sinkron: ditolak server - tanya admin</translation>
    </message>
    <message>
        <source>Sync: server error - {waiting}</source>
        <translation>Sinkron: server error - {waiting}</translation>
    </message>
</context>
<context>
    <name>HoldDecisionScreen</name>
    <message>
        <source>Why?</source>
        <translation>Kenapa?</translation>
    </message>
    <message>
        <source>Damaged pieces found in the bundle</source>
        <translation>Ada barang rusak di ikatan</translation>
    </message>
    <message>
        <source>The sender miscounted</source>
        <translation>Pengirim salah hitung</translation>
    </message>
    <message>
        <source>Pieces lost on the way</source>
        <translation>Barang hilang di jalan</translation>
    </message>
    <message>
        <source>Recounted together: the count is right</source>
        <translation>Dihitung ulang bersama: jumlahnya benar</translation>
    </message>
    <message>
        <source>or type your own words</source>
        <translation>atau ketik sendiri</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Send back</source>
        <translation>Kembalikan</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>Lepaskan</translation>
    </message>
    <message>
        <source>◀ Reasons</source>
        <translation>◀ Alasan</translation>
    </message>
    <message>
        <source>{name} decides the held batch</source>
        <translation>{name} memutuskan batch yang ditahan</translation>
    </message>
    <message>
        <source>{number} from {from_line}</source>
        <translation>{number} dari {from_line}</translation>
    </message>
    <message>
        <source>sent {sent}, counted {counted}</source>
        <translation>dikirim {sent}, dihitung {counted}</translation>
    </message>
    <message>
        <source>sent {sent}
counted {first}, recounted {counted}</source>
        <translation>dikirim {sent}
dihitung {first}, dihitung ulang {counted}</translation>
    </message>
    <message>
        <source>{first_by}, recounted by {by}</source>
        <translation>{first_by}, dihitung ulang oleh {by}</translation>
    </message>
    <message>
        <source>{article} · for {destination}
Prepared by {prepared_by} · counted by {counted_by} at {time}
Slip {slip}</source>
        <translation>{article} · untuk {destination}
Disiapkan {prepared_by} · dihitung {counted_by} jam {time}
Slip {slip}</translation>
    </message>
    <message>
        <source>Release: accept {n}</source>
        <translation>Lepaskan: terima {n}</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>Type the work order number (the last digits are enough)</source>
        <translation>Ketik nomor SPK (angka terakhir saja cukup)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Buka</translation>
    </message>
    <message>
        <source>Work orders</source>
        <translation>SPK</translation>
    </message>
    <message>
        <source>Kanban</source>
        <translation>Kanban</translation>
    </message>
    <message>
        <source>Find work order</source>
        <translation>Cari SPK</translation>
    </message>
    <message>
        <source>No open work orders on this line. Ask your supervisor for the next SPK.</source>
        <translation>Tidak ada SPK terbuka di line ini. Minta SPK berikutnya ke supervisor.</translation>
    </message>
    <message>
        <source>NEXT</source>
        <translation>BERIKUTNYA</translation>
    </message>
    <message>
        <source>{article} · to {destination} · {good} / {target} good</source>
        <translation>{article} · ke {destination} · {good} / {target} bagus</translation>
    </message>
</context>
<context>
    <name>Kanban</name>
    <message>
        <source>Out of stock</source>
        <translation>Stok habis</translation>
    </message>
    <message>
        <source>Duplicate request</source>
        <translation>Permintaan dobel</translation>
    </message>
    <message>
        <source>Quantity too large</source>
        <translation>Jumlah terlalu banyak</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Lainnya</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>Diminta</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Disetujui</translation>
    </message>
    <message>
        <source>In transit</source>
        <translation>Di jalan</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Diterima</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Ditolak</translation>
    </message>
    <message>
        <source>under 1 min</source>
        <translation>kurang dari 1 mnt</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m} mnt</translation>
    </message>
    <message>
        <source>{h} h {m:02d} min</source>
        <translation>{h} j {m:02d} mnt</translation>
    </message>
    <message>
        <source>{d} d {h} h</source>
        <translation>{d} hr {h} j</translation>
    </message>
    <message>
        <source>{quantity} {unit}</source>
        <translation>{quantity} {unit}</translation>
    </message>
    <message>
        <source>{quantity} · for {line}</source>
        <translation>{quantity} · untuk {line}</translation>
    </message>
    <message>
        <source>✖ Rejected: {reason}</source>
        <translation>✖ Ditolak: {reason}</translation>
    </message>
    <message>
        <source>✔ {age} ago</source>
        <translation>✔ {age} lalu</translation>
    </message>
    <message>
        <source>◷ {age}</source>
        <translation>◷ {age}</translation>
    </message>
    <message>
        <source>No cards</source>
        <translation>Tidak ada kartu</translation>
    </message>
    <message>
        <source>{title} · {n}</source>
        <translation>{title} · {n}</translation>
    </message>
    <message>
        <source>{code} · per {unit} · at most {max}</source>
        <translation>{code} · per {unit} · paling banyak {max}</translation>
    </message>
</context>
<context>
    <name>KanbanBoardScreen</name>
    <message>
        <source>Kanban</source>
        <translation>Kanban</translation>
    </message>
    <message>
        <source>⟳ Refresh</source>
        <translation>⟳ Segarkan</translation>
    </message>
    <message>
        <source>✚ Request items</source>
        <translation>✚ Minta barang</translation>
    </message>
    <message>
        <source>✔  Approve</source>
        <translation>✔  Setujui</translation>
    </message>
    <message>
        <source>✖  Reject</source>
        <translation>✖  Tolak</translation>
    </message>
    <message>
        <source>➜  Mark in transit</source>
        <translation>➜  Tandai dikirim</translation>
    </message>
    <message>
        <source>✔  Mark received</source>
        <translation>✔  Tandai diterima</translation>
    </message>
    <message>
        <source>Print card</source>
        <translation>Cetak kartu</translation>
    </message>
    <message>
        <source>Nothing for you to do on this card now.</source>
        <translation>Tidak ada yang perlu Anda lakukan di kartu ini sekarang.</translation>
    </message>
    <message>
        <source>◀  Back to the board</source>
        <translation>◀  Kembali ke papan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Kanban · all lines</source>
        <translation>Kanban · semua line</translation>
    </message>
    <message>
        <source>Kanban · {line}</source>
        <translation>Kanban · {line}</translation>
    </message>
    <message>
        <source>{quantity} {unit} · {item} · for {line}</source>
        <translation>{quantity} {unit} · {item} · untuk {line}</translation>
    </message>
    <message>
        <source>{status}: {reason}</source>
        <translation>{status}: {reason}</translation>
    </message>
    <message>
        <source>{status} · for {age}</source>
        <translation>{status} · selama {age}</translation>
    </message>
    <message>
        <source>{step} {time} · {name}</source>
        <translation>{step} {time} · {name}</translation>
    </message>
    <message>
        <source>after {age}</source>
        <translation>setelah {age}</translation>
    </message>
    <message>
        <source>Request to receipt: {age}</source>
        <translation>Dari minta sampai terima: {age}</translation>
    </message>
    <message>
        <source>Why reject {card_no}?</source>
        <translation>Kenapa {card_no} ditolak?</translation>
    </message>
</context>
<context>
    <name>KanbanFlow</name>
    <message>
        <source>Reject {card_no}?</source>
        <translation>Tolak {card_no}?</translation>
    </message>
    <message>
        <source>Reason: {reason}. Line {line} sees it on its board after the next sync.</source>
        <translation>Alasan: {reason}. Line {line} melihatnya di papan setelah sinkron berikutnya.</translation>
    </message>
    <message>
        <source>Reason: {reason}. Line {line} sees it on its board.</source>
        <translation>Alasan: {reason}. Line {line} melihatnya di papan.</translation>
    </message>
    <message>
        <source>No, go back</source>
        <translation>Tidak, kembali</translation>
    </message>
    <message>
        <source>Yes, reject it</source>
        <translation>Ya, tolak</translation>
    </message>
    <message>
        <source>{quantity} {unit} {item}</source>
        <translation>{quantity} {unit} {item}</translation>
    </message>
    <message>
        <source>{card_no} approved: {what} for {line}.</source>
        <translation>{card_no} disetujui: {what} untuk {line}.</translation>
    </message>
    <message>
        <source>{card_no} rejected: {reason}.</source>
        <translation>{card_no} ditolak: {reason}.</translation>
    </message>
    <message>
        <source>{card_no} is on its way to {line}: {what}.</source>
        <translation>{card_no} sedang dikirim ke {line}: {what}.</translation>
    </message>
    <message>
        <source>{card_no} received: {what}.</source>
        <translation>{card_no} diterima: {what}.</translation>
    </message>
    <message>
        <source>{card_no} sent to the printer.</source>
        <translation>{card_no} dikirim ke printer.</translation>
    </message>
    <message>
        <source>{card_no} received: {quantity} {unit} {item}.</source>
        <translation>{card_no} diterima: {quantity} {unit} {item}.</translation>
    </message>
    <message>
        <source>Request {card_no} sent: {quantity} {unit} {item}.</source>
        <translation>Permintaan {card_no} terkirim: {quantity} {unit} {item}.</translation>
    </message>
    <message>
        <source>This kiosk does not sync: the warehouse sees it only on this kiosk.</source>
        <translation>Kiosk ini tidak sinkron: gudang hanya melihatnya di kiosk ini.</translation>
    </message>
    <message>
        <source>The warehouse has it. It shows here when it is on its way.</source>
        <translation>Gudang sudah menerimanya. Muncul di sini saat sedang dikirim.</translation>
    </message>
    <message>
        <source>The warehouse sees it after the next sync, in a few seconds ({n} waiting).</source>
        <translation>Gudang melihatnya setelah sinkron berikutnya, beberapa detik lagi ({n} menunggu).</translation>
    </message>
    <message>
        <source>The warehouse will see it at the next sync ({n} waiting; this kiosk has not synced yet).</source>
        <translation>Gudang akan melihatnya di sinkron berikutnya ({n} menunggu; kiosk ini belum pernah sinkron).</translation>
    </message>
    <message>
        <source>The warehouse will see it at the next sync ({n} waiting; last sync {time}).</source>
        <translation>Gudang akan melihatnya di sinkron berikutnya ({n} menunggu; sinkron terakhir {time}).</translation>
    </message>
    <message>
        <source>The warehouse has it (synced {time}). It shows here when it is on its way.</source>
        <translation>Gudang sudah menerimanya (sinkron {time}). Muncul di sini saat sedang dikirim.</translation>
    </message>
</context>
<context>
    <name>KanbanRequestScreen</name>
    <message>
        <source>✔ Send request</source>
        <translation>✔ Kirim permintaan</translation>
    </message>
    <message>
        <source>Request items</source>
        <translation>Minta barang</translation>
    </message>
    <message>
        <source>◀  Kanban board</source>
        <translation>◀  Papan kanban</translation>
    </message>
    <message>
        <source>Search: part of the name or the code</source>
        <translation>Cari: sebagian nama atau kode</translation>
    </message>
    <message>
        <source>No item matches. Clear the search to see them all.</source>
        <translation>Tidak ada barang yang cocok. Hapus pencarian untuk melihat semua.</translation>
    </message>
    <message>
        <source>Request items for {line}</source>
        <translation>Minta barang untuk {line}</translation>
    </message>
    <message>
        <source>{name}: how many? (per {unit}, at most {max})</source>
        <translation>{name}: berapa? (per {unit}, paling banyak {max})</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Clear</source>
        <translation>C</translation>
    </message>
    <message>
        <source>Delete last digit</source>
        <translation>Hapus angka terakhir</translation>
    </message>
</context>
<context>
    <name>KeysFlow</name>
    <message>
        <source>{name}: type your PIN to manage the integration keys</source>
        <translation>{name}: ketik PIN untuk mengatur kunci integrasi</translation>
    </message>
    <message>
        <source>made {when}</source>
        <translation>dibuat {when}</translation>
    </message>
    <message>
        <source>last used {when} ({count} calls)</source>
        <translation>terakhir dipakai {when} ({count} kali)</translation>
    </message>
    <message>
        <source>never used</source>
        <translation>belum pernah dipakai</translation>
    </message>
    <message>
        <source>REVOKED {when}</source>
        <translation>DICABUT {when}</translation>
    </message>
    <message>
        <source>The server refused this: no key was made.</source>
        <translation>Server menolak: tidak ada kunci yang dibuat.</translation>
    </message>
    <message>
        <source>Correct the name marked in red and try again.</source>
        <translation>Perbaiki nama yang merah lalu coba lagi.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to create the key {key}</source>
        <translation>{name}: ketik PIN untuk membuat kunci {key}</translation>
    </message>
    <message>
        <source>Copy it into the ERP now: it is shown this once and never again. Anyone holding it can send the site&apos;s data.</source>
        <translation>Salin ke ERP sekarang: kunci ini hanya muncul sekali ini, tidak akan muncul lagi. Siapa pun yang memegangnya bisa mengirim data pabrik.</translation>
    </message>
    <message>
        <source>The new key {name}</source>
        <translation>Kunci baru {name}</translation>
    </message>
    <message>
        <source>I have copied it</source>
        <translation>Sudah saya salin</translation>
    </message>
    <message>
        <source>The key {name} was made; the list shows when it is used.</source>
        <translation>Kunci {name} dibuat; daftar menunjukkan kapan kunci dipakai.</translation>
    </message>
    <message>
        <source>The server refused this: nothing was changed.</source>
        <translation>Server menolak: tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>The key {name} is revoked: the server refuses it from now on.</source>
        <translation>Kunci {name} dicabut: server menolaknya mulai sekarang.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to revoke the key {key}</source>
        <translation>{name}: ketik PIN untuk mencabut kunci {key}</translation>
    </message>
    <message>
        <source>Revoke the key {name}?</source>
        <translation>Cabut kunci {name}?</translation>
    </message>
    <message>
        <source>The ERP using it is refused from its next call; it needs a new key to send data again. This cannot be undone.</source>
        <translation>ERP yang memakainya ditolak mulai kiriman berikutnya; perlu kunci baru untuk mengirim data lagi. Ini tidak bisa dibatalkan.</translation>
    </message>
    <message>
        <source>No, keep it</source>
        <translation>Tidak, simpan</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Cabut</translation>
    </message>
</context>
<context>
    <name>KeysScreen</name>
    <message>
        <source>Integration keys</source>
        <translation>Kunci integrasi</translation>
    </message>
    <message>
        <source>New key</source>
        <translation>Kunci baru</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>The site&apos;s ERP sends its data with a key. Each key is shown once when it is made; revoke a key that is lost or no longer used.</source>
        <translation>ERP pabrik mengirim datanya dengan kunci. Tiap kunci hanya muncul sekali saat dibuat; cabut kunci yang hilang atau tidak dipakai lagi.</translation>
    </message>
    <message>
        <source>Create the key</source>
        <translation>Buat kunci</translation>
    </message>
    <message>
        <source>Name of the new key</source>
        <translation>Nama kunci baru</translation>
    </message>
    <message>
        <source>No integration key yet.</source>
        <translation>Belum ada kunci integrasi.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Cabut</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>QC inspector</source>
        <translation>QC</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Warehouse staff</source>
        <translation>Staf gudang</translation>
    </message>
    <message>
        <source>Warehouse admin</source>
        <translation>Admin gudang</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>Cutting</source>
        <translation>Potong</translation>
    </message>
    <message>
        <source>Embroidery</source>
        <translation>Bordir</translation>
    </message>
    <message>
        <source>Sewing</source>
        <translation>Jahit</translation>
    </message>
    <message>
        <source>Finishing</source>
        <translation>Finishing</translation>
    </message>
    <message>
        <source>Packing</source>
        <translation>Packing</translation>
    </message>
    <message>
        <source>Warehouse</source>
        <translation>Gudang</translation>
    </message>
    <message>
        <source>○ Ready</source>
        <translation>○ Siap</translation>
    </message>
    <message>
        <source>▶ Running</source>
        <translation>▶ Jalan</translation>
    </message>
    <message>
        <source>❚❚ Paused</source>
        <translation>❚❚ Jeda</translation>
    </message>
    <message>
        <source>✔ Done</source>
        <translation>✔ Selesai</translation>
    </message>
    <message>
        <source>✖ Cancelled</source>
        <translation>✖ Dibatalkan</translation>
    </message>
    <message>
        <source>■ Closed</source>
        <translation>■ Ditutup</translation>
    </message>
    <message>
        <source>Fabric flaw</source>
        <translation>Kain cacat</translation>
    </message>
    <message>
        <source>Cutting error</source>
        <translation>Salah potong</translation>
    </message>
    <message>
        <source>Stitching defect</source>
        <translation>Jahitan cacat</translation>
    </message>
    <message>
        <source>Stain / dirt</source>
        <translation>Noda / kotor</translation>
    </message>
    <message>
        <source>Wrong size</source>
        <translation>Salah ukuran</translation>
    </message>
    <message>
        <source>Machine fault</source>
        <translation>Mesin rusak</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Lainnya</translation>
    </message>
    <message>
        <source>⇢ on its way</source>
        <translation>⇢ di jalan</translation>
    </message>
    <message>
        <source>✔ accepted</source>
        <translation>✔ diterima</translation>
    </message>
    <message>
        <source>⚠ held</source>
        <translation>⚠ ditahan</translation>
    </message>
    <message>
        <source>✖ sent back</source>
        <translation>✖ dikembalikan</translation>
    </message>
    <message>
        <source>○ Requested</source>
        <translation>○ Diminta</translation>
    </message>
    <message>
        <source>✔ Approved</source>
        <translation>✔ Disetujui</translation>
    </message>
    <message>
        <source>✖ Rejected</source>
        <translation>✖ Ditolak</translation>
    </message>
    <message>
        <source>➜ In transit</source>
        <translation>➜ Di jalan</translation>
    </message>
    <message>
        <source>✔ Received</source>
        <translation>✔ Diterima</translation>
    </message>
    <message>
        <source>Machine breakdown</source>
        <translation>Mesin rusak</translation>
    </message>
    <message>
        <source>Waiting for material</source>
        <translation>Tunggu bahan</translation>
    </message>
    <message>
        <source>Waiting for work</source>
        <translation>Tunggu kerjaan</translation>
    </message>
    <message>
        <source>Changeover</source>
        <translation>Ganti model</translation>
    </message>
    <message>
        <source>No operator</source>
        <translation>Tidak ada operator</translation>
    </message>
    <message>
        <source>Power cut</source>
        <translation>Listrik padam</translation>
    </message>
    <message>
        <source>Typing error</source>
        <translation>Salah ketik</translation>
    </message>
    <message>
        <source>Wrong work order</source>
        <translation>Salah SPK</translation>
    </message>
    <message>
        <source>Counted twice</source>
        <translation>Terhitung dua kali</translation>
    </message>
    <message>
        <source>Recounted</source>
        <translation>Dihitung ulang</translation>
    </message>
    <message>
        <source>{reason} {n} min</source>
        <translation>{reason} {n} mnt</translation>
    </message>
</context>
<context>
    <name>LineStatus</name>
    <message>
        <source>Line kiosk - {department} desktop</source>
        <translation>Line kiosk - desktop {department}</translation>
    </message>
    <message>
        <source>Line kiosk - {line}</source>
        <translation>Line kiosk - {line}</translation>
    </message>
    <message>
        <source>Supervisor&apos;s desktop</source>
        <translation>Desktop supervisor</translation>
    </message>
    <message>
        <source>Supervisor&apos;s desktop · all lines</source>
        <translation>Desktop supervisor · semua line</translation>
    </message>
    <message>
        <source>Supervisors of the department log in here.</source>
        <translation>Supervisor bagian ini login di sini.</translation>
    </message>
    <message>
        <source>▶ Running {numbers}</source>
        <translation>▶ Jalan {numbers}</translation>
    </message>
    <message>
        <source>❚❚ Paused {numbers}</source>
        <translation>❚❚ Jeda {numbers}</translation>
    </message>
    <message>
        <source>○ No work order running</source>
        <translation>○ Tidak ada SPK jalan</translation>
    </message>
    <message>
        <source>holds {number}</source>
        <translation>berisi {number}</translation>
    </message>
    <message>
        <source>line clear</source>
        <translation>line kosong</translation>
    </message>
    <message>
        <source>⚠ {n} held</source>
        <translation>⚠ {n} ditahan</translation>
    </message>
    <message>
        <source>{line} holds {number} · {article} · for {destination} since {time}.</source>
        <translation>{line} berisi {number} · {article} · untuk {destination} sejak {time}.</translation>
    </message>
    <message>
        <source>{line} is clear.</source>
        <translation>{line} kosong.</translation>
    </message>
    <message>
        <source>{line}: what the line holds is not known yet.</source>
        <translation>{line}: isi line belum diketahui.</translation>
    </message>
    <message>
        <source>{n} batch held for a supervisor.</source>
        <translation>{n} batch ditahan untuk supervisor.</translation>
    </message>
</context>
<context>
    <name>LinesFlow</name>
    <message>
        <source>The server refused this: nothing was changed.</source>
        <translation>Server menolak: tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Correct the fields marked in red and save again.</source>
        <translation>Perbaiki kolom yang merah lalu simpan lagi.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to add line {code}</source>
        <translation>{name}: ketik PIN untuk menambah line {code}</translation>
    </message>
    <message>
        <source>Line {code} was added.</source>
        <translation>Line {code} ditambahkan.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to rename line {code}</source>
        <translation>{name}: ketik PIN untuk mengganti nama line {code}</translation>
    </message>
    <message>
        <source>Line {code} was renamed.</source>
        <translation>Nama line {code} diganti.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to deactivate line {code}</source>
        <translation>{name}: ketik PIN untuk menonaktifkan line {code}</translation>
    </message>
    <message>
        <source>Line {code} was deactivated.</source>
        <translation>Line {code} dinonaktifkan.</translation>
    </message>
    <message>
        <source>Deactivate line {code}?</source>
        <translation>Nonaktifkan line {code}?</translation>
    </message>
    <message>
        <source>Nobody can log in or record on it from each kiosk&apos;s next sync.</source>
        <translation>Mulai sinkron berikutnya di tiap kiosk, tidak ada yang bisa login atau mencatat di line ini.</translation>
    </message>
    <message>
        <source>No, keep it</source>
        <translation>Tidak, simpan</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Nonaktifkan</translation>
    </message>
</context>
<context>
    <name>LinesScreen</name>
    <message>
        <source>Lines</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>Add a line</source>
        <translation>Tambah line</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Nonaktifkan</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Sebelumnya</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Berikutnya</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Kode</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Bagian</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>nonaktif</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <source>Type your employee number</source>
        <translation>Ketik nomor karyawan</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Berikutnya</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>Tap your badge, or your name, to log in</source>
        <translation>Tempel lencana, atau ketuk nama Anda, untuk masuk</translation>
    </message>
    <message>
        <source>Not listed? Type your employee number</source>
        <translation>Tidak ada di daftar? Ketik nomor karyawan</translation>
    </message>
    <message>
        <source>LOCKED</source>
        <translation>TERKUNCI</translation>
    </message>
    <message>
        <source>No PIN yet · setup code</source>
        <translation>Belum ada PIN · kode penyiapan</translation>
    </message>
    <message>
        <source>{name} logs in here with badge and PIN.</source>
        <translation>{name} masuk di sini dengan lencana dan PIN.</translation>
    </message>
    <message>
        <source>Tap your badge on the reader first, then type your PIN.</source>
        <translation>Tempel lencana ke pembaca dulu, lalu ketik PIN.</translation>
    </message>
    <message>
        <source>Badge read. {name}, type your PIN</source>
        <translation>Lencana terbaca. {name}, ketik PIN</translation>
    </message>
    <message>
        <source>{name}, type your PIN</source>
        <translation>{name}, ketik PIN</translation>
    </message>
    <message>
        <source>{name}: type your setup code, or tap your badge</source>
        <translation>{name}: ketik kode penyiapan, atau tempel lencana</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>The kiosk keeps running.</source>
        <translation>Kiosk tetap jalan.</translation>
    </message>
    <message>
        <source>Only an admin can close it, from the Admin screen.</source>
        <translation>Hanya admin yang bisa menutupnya, dari layar Admin.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>This employee number is taken already.</source>
        <translation>Nomor karyawan ini sudah dipakai.</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>Wajib diisi.</translation>
    </message>
    <message>
        <source>Too long.</source>
        <translation>Terlalu panjang.</translation>
    </message>
    <message>
        <source>Nobody has this employee number.</source>
        <translation>Tidak ada yang punya nomor karyawan ini.</translation>
    </message>
    <message>
        <source>There is no such line.</source>
        <translation>Line ini tidak ada.</translation>
    </message>
    <message>
        <source>This line is retired.</source>
        <translation>Line ini sudah tidak dipakai.</translation>
    </message>
    <message>
        <source>This line belongs to another department.</source>
        <translation>Line ini milik bagian lain.</translation>
    </message>
    <message>
        <source>Only operators are given lines.</source>
        <translation>Hanya operator yang diberi line.</translation>
    </message>
    <message>
        <source>This role cannot belong to this department.</source>
        <translation>Jabatan ini tidak bisa di bagian ini.</translation>
    </message>
    <message>
        <source>You cannot change your own role or switch yourself off.</source>
        <translation>Anda tidak bisa mengubah jabatan sendiri atau menonaktifkan diri sendiri.</translation>
    </message>
    <message>
        <source>Not a line code (e.g. CUT-L02).</source>
        <translation>Bukan kode line (contoh CUT-L02).</translation>
    </message>
    <message>
        <source>Choose a role.</source>
        <translation>Pilih jabatan.</translation>
    </message>
    <message>
        <source>Choose a department.</source>
        <translation>Pilih bagian.</translation>
    </message>
    <message>
        <source>Choose a language.</source>
        <translation>Pilih bahasa.</translation>
    </message>
    <message>
        <source>This line still holds work: finish or move it first.</source>
        <translation>Line ini masih berisi kerjaan: selesaikan atau pindahkan dulu.</translation>
    </message>
    <message>
        <source>This badge belongs to someone else.</source>
        <translation>Lencana ini milik orang lain.</translation>
    </message>
    <message>
        <source>A line keeps its department: deactivate it and add a new line.</source>
        <translation>Bagian line tetap: nonaktifkan lalu tambah line baru.</translation>
    </message>
    <message>
        <source>This was sent twice: save once more.</source>
        <translation>Terkirim dua kali: simpan sekali lagi.</translation>
    </message>
    <message>
        <source>Remove the character that cannot be shown.</source>
        <translation>Hapus huruf yang tidak bisa tampil.</translation>
    </message>
    <message>
        <source>Type letters or digits here.</source>
        <translation>Ketik huruf atau angka di sini.</translation>
    </message>
    <message>
        <source>Choose yes or no.</source>
        <translation>Pilih ya atau tidak.</translation>
    </message>
    <message>
        <source>Type the line codes one after another.</source>
        <translation>Ketik kode line satu per satu.</translation>
    </message>
    <message>
        <source>Type a whole number.</source>
        <translation>Ketik angka bulat.</translation>
    </message>
    <message>
        <source>This number is too small or too big.</source>
        <translation>Angka terlalu kecil atau terlalu besar.</translation>
    </message>
    <message>
        <source>Not a date: type it as 2026-12-31.</source>
        <translation>Bukan tanggal: ketik seperti 2026-12-31.</translation>
    </message>
    <message>
        <source>The server does not know this field: update this kiosk&apos;s program.</source>
        <translation>Server tidak kenal kolom ini: perbarui program kiosk ini.</translation>
    </message>
    <message>
        <source>The server did not understand the form: update this kiosk&apos;s program.</source>
        <translation>Server tidak paham isian ini: perbarui program kiosk ini.</translation>
    </message>
    <message>
        <source>The server refused this value.</source>
        <translation>Server menolak nilai ini.</translation>
    </message>
    <message>
        <source>Something went wrong. The action was not recorded.</source>
        <translation>Ada yang salah. Tindakan ini tidak dicatat.</translation>
    </message>
    <message>
        <source>Try again. If it happens again, tell your supervisor (reference {ref}).</source>
        <translation>Coba lagi. Kalau terjadi lagi, beri tahu supervisor (referensi {ref}).</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN salah.</translation>
    </message>
    <message>
        <source>Type your PIN again, or tap your badge on the reader.</source>
        <translation>Ketik PIN lagi, atau tempel lencana ke pembaca.</translation>
    </message>
    <message>
        <source>1 try left before the account is locked.</source>
        <translation>Sisa 1 kali coba sebelum akun terkunci.</translation>
    </message>
    <message>
        <source>{n} tries left before the account is locked.</source>
        <translation>Sisa {n} kali coba sebelum akun terkunci.</translation>
    </message>
    <message>
        <source>Wait {n} s before trying again.</source>
        <translation>Tunggu {n} dtk sebelum coba lagi.</translation>
    </message>
    <message>
        <source>Too many wrong PINs were typed here: the PIN pad waits.</source>
        <translation>Terlalu banyak PIN salah di sini: tombol PIN menunggu.</translation>
    </message>
    <message>
        <source>This slip is too old: it was printed on {issued}, more than {days} days ago.</source>
        <translation>Slip ini terlalu lama: dicetak {issued}, lebih dari {days} hari lalu.</translation>
    </message>
    <message>
        <source>Old slips are not accepted. Ask the sending line to print the slip again.</source>
        <translation>Slip lama tidak diterima. Minta line pengirim mencetak slip lagi.</translation>
    </message>
    <message>
        <source>{running} is running on this line.</source>
        <translation>{running} sedang jalan di line ini.</translation>
    </message>
    <message>
        <source>Pause or complete it first, or confirm that {number} runs beside it.</source>
        <translation>Jeda atau selesaikan dulu, atau pastikan {number} jalan bersamaan.</translation>
    </message>
    <message>
        <source>A supervisor must approve this correction: the entry is older than {minutes} minutes, or someone else recorded it.</source>
        <translation>Koreksi ini perlu disetujui supervisor: catatannya lebih dari {minutes} menit, atau dicatat orang lain.</translation>
    </message>
    <message>
        <source>Ask the department&apos;s supervisor to tap their badge and type their PIN.</source>
        <translation>Minta supervisor bagian ini menempel lencana dan mengetik PIN.</translation>
    </message>
    <message>
        <source>Too many wrong PINs: account locked until {time}.</source>
        <translation>Terlalu banyak PIN salah: akun terkunci sampai {time}.</translation>
    </message>
    <message>
        <source>An alert for your supervisor is raised. Ask a supervisor or admin to unlock it.</source>
        <translation>Supervisor sudah diberi peringatan. Minta supervisor atau admin membuka kuncinya.</translation>
    </message>
    <message>
        <source>This account is locked until {time}.</source>
        <translation>Akun ini terkunci sampai {time}.</translation>
    </message>
    <message>
        <source>Ask a supervisor or admin to unlock it.</source>
        <translation>Minta supervisor atau admin membuka kuncinya.</translation>
    </message>
    <message>
        <source>{value} rejects is more than the whole work order ({allowed}).</source>
        <translation>{value} reject lebih banyak dari seluruh SPK ({allowed}).</translation>
    </message>
    <message>
        <source>Check the count and type it again.</source>
        <translation>Periksa hitungan lalu ketik lagi.</translation>
    </message>
    <message>
        <source>{value} good is more than this work order allows ({allowed} more).</source>
        <translation>{value} bagus lebih dari yang boleh di SPK ini (sisa {allowed}).</translation>
    </message>
    <message>
        <source>{open} pieces are still open. Check the count; if the target is wrong, ask your supervisor.</source>
        <translation>Masih {open} pcs belum selesai. Periksa hitungan; kalau target salah, tanya supervisor.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>tidak ada</translation>
    </message>
    <message>
        <source>Line {line} is not set up on this kiosk.</source>
        <translation>Line {line} belum diatur di kiosk ini.</translation>
    </message>
    <message>
        <source>Known lines: {known}. Start the kiosk with --line CODE or set KIOSK_LINE.</source>
        <translation>Line yang ada: {known}. Jalankan kiosk dengan --line KODE atau atur KIOSK_LINE.</translation>
    </message>
    <message>
        <source>This employee number is not known.</source>
        <translation>Nomor karyawan ini tidak dikenal.</translation>
    </message>
    <message>
        <source>Check the number on your badge, or ask your supervisor.</source>
        <translation>Periksa nomor di lencana, atau tanya supervisor.</translation>
    </message>
    <message>
        <source>This account is switched off.</source>
        <translation>Akun ini nonaktif.</translation>
    </message>
    <message>
        <source>Ask an admin to switch it on again.</source>
        <translation>Minta admin mengaktifkannya lagi.</translation>
    </message>
    <message>
        <source>{employee_no} is not assigned to line {line}.</source>
        <translation>{employee_no} tidak ditugaskan di line {line}.</translation>
    </message>
    <message>
        <source>Log in at your own line&apos;s kiosk, or ask your supervisor to assign you here.</source>
        <translation>Masuk di kiosk line Anda sendiri, atau minta supervisor menugaskan Anda di sini.</translation>
    </message>
    <message>
        <source>A PIN has {min_digits} to {max_digits} digits.</source>
        <translation>PIN terdiri dari {min_digits} sampai {max_digits} angka.</translation>
    </message>
    <message>
        <source>Type it again.</source>
        <translation>Ketik lagi.</translation>
    </message>
    <message>
        <source>This account is not locked.</source>
        <translation>Akun ini tidak terkunci.</translation>
    </message>
    <message>
        <source>Nothing needs to be done.</source>
        <translation>Tidak perlu apa-apa.</translation>
    </message>
    <message>
        <source>Your role cannot do this.</source>
        <translation>Jabatan Anda tidak bisa melakukan ini.</translation>
    </message>
    <message>
        <source>Ask someone with the right role, or your supervisor.</source>
        <translation>Minta orang dengan jabatan yang tepat, atau supervisor.</translation>
    </message>
    <message>
        <source>This is outside your line or department.</source>
        <translation>Ini di luar line atau bagian Anda.</translation>
    </message>
    <message>
        <source>Ask the supervisor of that department.</source>
        <translation>Tanya supervisor bagian itu.</translation>
    </message>
    <message>
        <source>No such work order was found.</source>
        <translation>SPK tidak ditemukan.</translation>
    </message>
    <message>
        <source>Check the number on the SPK paper and try again.</source>
        <translation>Periksa nomor di kertas SPK lalu coba lagi.</translation>
    </message>
    <message>
        <source>{number} belongs to line {line}, not to {this_line}.</source>
        <translation>{number} milik line {line}, bukan {this_line}.</translation>
    </message>
    <message>
        <source>Only this line&apos;s work orders can be opened here. Take the SPK to line {line}.</source>
        <translation>Hanya SPK line ini yang bisa dibuka di sini. Bawa SPK ke line {line}.</translation>
    </message>
    <message>
        <source>{matches} work orders end in {digits}.</source>
        <translation>Ada {matches} SPK yang berakhir {digits}.</translation>
    </message>
    <message>
        <source>Type more digits of the number.</source>
        <translation>Ketik lebih banyak angka nomornya.</translation>
    </message>
    <message>
        <source>“{text}” is not a number of pieces.</source>
        <translation>“{text}” bukan jumlah pcs.</translation>
    </message>
    <message>
        <source>Type whole pieces with the number pad.</source>
        <translation>Ketik jumlah pcs utuh dengan tombol angka.</translation>
    </message>
    <message>
        <source>A quantity cannot be negative.</source>
        <translation>Jumlah tidak boleh minus.</translation>
    </message>
    <message>
        <source>Type the number of pieces with the number pad.</source>
        <translation>Ketik jumlah pcs dengan tombol angka.</translation>
    </message>
    <message>
        <source>{value} pieces is not a plausible quantity (at most {limit} at once).</source>
        <translation>{value} pcs tidak masuk akal (paling banyak {limit} sekaligus).</translation>
    </message>
    <message>
        <source>Rejected pieces need a reason.</source>
        <translation>Barang reject perlu alasan.</translation>
    </message>
    <message>
        <source>Tap the reason that fits best, then Confirm.</source>
        <translation>Ketuk alasan yang paling cocok, lalu Konfirmasi.</translation>
    </message>
    <message>
        <source>That reject reason is not known.</source>
        <translation>Alasan reject itu tidak dikenal.</translation>
    </message>
    <message>
        <source>Tap one of the reasons shown.</source>
        <translation>Ketuk salah satu alasan yang ada.</translation>
    </message>
    <message>
        <source>That entry is not on this kiosk.</source>
        <translation>Catatan itu tidak ada di kiosk ini.</translation>
    </message>
    <message>
        <source>Go back to the work order and open its recent entries again.</source>
        <translation>Kembali ke SPK dan buka lagi catatan terakhirnya.</translation>
    </message>
    <message>
        <source>That entry was voided already: it no longer counts.</source>
        <translation>Catatan itu sudah dibatalkan: tidak dihitung lagi.</translation>
    </message>
    <message>
        <source>Record the right quantity as a new entry if it is still missing.</source>
        <translation>Catat jumlah yang benar sebagai catatan baru kalau masih kurang.</translation>
    </message>
    <message>
        <source>The corrected numbers are the same as the entry&apos;s.</source>
        <translation>Angka koreksi sama dengan catatannya.</translation>
    </message>
    <message>
        <source>Type the right numbers, or tap Cancel to leave the entry as it is.</source>
        <translation>Ketik angka yang benar, atau ketuk Batal supaya catatan tetap.</translation>
    </message>
    <message>
        <source>This correction would take the work order&apos;s {field} total below zero.</source>
        <translation>Koreksi ini membuat total {field} SPK jadi di bawah nol.</translation>
    </message>
    <message>
        <source>Check the numbers with your supervisor before correcting.</source>
        <translation>Periksa angkanya dengan supervisor sebelum koreksi.</translation>
    </message>
    <message>
        <source>A pause needs a reason from the list.</source>
        <translation>Jeda perlu alasan dari daftar.</translation>
    </message>
    <message>
        <source>Tap why the work stops, then the work order is paused.</source>
        <translation>Ketuk kenapa kerja berhenti, lalu SPK dijeda.</translation>
    </message>
    <message>
        <source>That alert no longer exists.</source>
        <translation>Peringatan itu sudah tidak ada.</translation>
    </message>
    <message>
        <source>Refresh the list.</source>
        <translation>Segarkan daftar.</translation>
    </message>
    <message>
        <source>Someone has already acknowledged this alert.</source>
        <translation>Peringatan ini sudah ditangani orang lain.</translation>
    </message>
    <message>
        <source>This alert is about this kiosk itself.</source>
        <translation>Peringatan ini tentang kiosk ini sendiri.</translation>
    </message>
    <message>
        <source>Acknowledge it on another kiosk of the department or on the office desktop.</source>
        <translation>Tangani di kiosk lain di bagian ini atau di desktop kantor.</translation>
    </message>
    <message>
        <source>Badge not registered - ask your supervisor.</source>
        <translation>Lencana tidak terdaftar - tanya supervisor.</translation>
    </message>
    <message>
        <source>Meanwhile, tap your name and log in with your PIN.</source>
        <translation>Sementara itu, ketuk nama Anda dan masuk dengan PIN.</translation>
    </message>
    <message>
        <source>This badge already belongs to {name} ({employee_no}).</source>
        <translation>Lencana ini sudah milik {name} ({employee_no}).</translation>
    </message>
    <message>
        <source>Unbind it from them first, or use another badge.</source>
        <translation>Lepas dulu dari orang itu, atau pakai lencana lain.</translation>
    </message>
    <message>
        <source>{employee_no} has no badge.</source>
        <translation>{employee_no} tidak punya lencana.</translation>
    </message>
    <message>
        <source>Pick the user, then tap a badge on the reader to bind it.</source>
        <translation>Pilih orangnya, lalu tempel lencana ke pembaca untuk memasangnya.</translation>
    </message>
    <message>
        <source>This code is not a badge, a work order, a transfer slip or a kanban card.</source>
        <translation>Kode ini bukan lencana, SPK, slip serah terima atau kartu kanban.</translation>
    </message>
    <message>
        <source>Nothing was changed. Scan a code printed for this factory.</source>
        <translation>Tidak ada yang diubah. Scan kode yang dicetak untuk pabrik ini.</translation>
    </message>
    <message>
        <source>{name} has no PIN yet.</source>
        <translation>{name} belum punya PIN.</translation>
    </message>
    <message>
        <source>Tap your badge to choose one, or type the setup code the admin gave you.</source>
        <translation>Tempel lencana untuk memilih PIN, atau ketik kode penyiapan dari admin.</translation>
    </message>
    <message>
        <source>Choosing a first PIN needs the server, and it cannot be reached now.</source>
        <translation>Memilih PIN pertama perlu server, dan server tidak bisa dihubungi sekarang.</translation>
    </message>
    <message>
        <source>Nothing was saved. Try again when the kiosk is connected; operators log in by badge.</source>
        <translation>Tidak ada yang disimpan. Coba lagi saat kiosk terhubung; operator masuk dengan lencana.</translation>
    </message>
    <message>
        <source>The two PINs are not the same.</source>
        <translation>Kedua PIN tidak sama.</translation>
    </message>
    <message>
        <source>Nothing was saved. Choose your PIN again and type it twice.</source>
        <translation>Tidak ada yang disimpan. Pilih PIN lagi dan ketik dua kali.</translation>
    </message>
    <message>
        <source>{employee_no} has a PIN already.</source>
        <translation>{employee_no} sudah punya PIN.</translation>
    </message>
    <message>
        <source>Log in with it. Forgotten? Ask the admin to reset it.</source>
        <translation>Masuk dengan PIN itu. Lupa? Minta admin meresetnya.</translation>
    </message>
    <message>
        <source>Wrong setup code: {attempts_left} tries left before the account is locked.</source>
        <translation>Kode penyiapan salah: sisa {attempts_left} kali coba sebelum akun terkunci.</translation>
    </message>
    <message>
        <source>Type the code exactly as the admin gave it, or ask for a new one.</source>
        <translation>Ketik kode persis seperti dari admin, atau minta kode baru.</translation>
    </message>
    <message>
        <source>This setup code is used up or expired.</source>
        <translation>Kode penyiapan ini sudah terpakai atau kedaluwarsa.</translation>
    </message>
    <message>
        <source>Ask the admin for a new setup code.</source>
        <translation>Minta kode penyiapan baru ke admin.</translation>
    </message>
    <message>
        <source>{employee_no} logs in here with badge and PIN: the PIN alone is not enough.</source>
        <translation>{employee_no} masuk di sini dengan lencana dan PIN: PIN saja tidak cukup.</translation>
    </message>
    <message>
        <source>Tap your badge on the reader first, then type your PIN.</source>
        <translation>Tempel lencana ke pembaca dulu, lalu ketik PIN.</translation>
    </message>
    <message>
        <source>This is a supervisor&apos;s desktop: {employee_no} cannot log in here.</source>
        <translation>Ini desktop supervisor: {employee_no} tidak bisa masuk di sini.</translation>
    </message>
    <message>
        <source>Operators log in at their line&apos;s kiosk.</source>
        <translation>Operator masuk di kiosk line masing-masing.</translation>
    </message>
    <message>
        <source>This kiosk does not sync with a server.</source>
        <translation>Kiosk ini tidak sinkron dengan server.</translation>
    </message>
    <message>
        <source>Its work stays on this kiosk. Ask the admin to connect it to the server.</source>
        <translation>Kerjaannya tetap di kiosk ini. Minta admin menghubungkannya ke server.</translation>
    </message>
    <message>
        <source>This needs the server: connect the kiosk and try again.</source>
        <translation>Perlu server: hubungkan kiosk lalu coba lagi.</translation>
    </message>
    <message>
        <source>Nothing was changed. Badges, unlocks and account changes are made on the server.</source>
        <translation>Tidak ada yang diubah. Lencana, buka kunci dan perubahan akun dibuat di server.</translation>
    </message>
    <message>
        <source>The server refused this: {message}.</source>
        <translation>Server menolak: {message}.</translation>
    </message>
    <message>
        <source>Nothing was changed. Ask the admin.</source>
        <translation>Tidak ada yang diubah. Tanya admin.</translation>
    </message>
    <message>
        <source>Nothing was changed. Correct the fields marked and try again.</source>
        <translation>Tidak ada yang diubah. Perbaiki kolom yang ditandai lalu coba lagi.</translation>
    </message>
    <message>
        <source>This kiosk has no slip-signing key of its own.</source>
        <translation>Kiosk ini tidak punya kunci tanda tangan slip sendiri.</translation>
    </message>
    <message>
        <source>Slips cannot be printed here. Ask the admin to enrol this kiosk again.</source>
        <translation>Slip tidak bisa dicetak di sini. Minta admin mendaftarkan kiosk ini lagi.</translation>
    </message>
    <message>
        <source>This handoff is not known on this kiosk.</source>
        <translation>Serah terima ini tidak dikenal di kiosk ini.</translation>
    </message>
    <message>
        <source>Check the slip, or ask your supervisor.</source>
        <translation>Periksa slip, atau tanya supervisor.</translation>
    </message>
    <message>
        <source>This handoff cannot be changed that way: it is {status} already.</source>
        <translation>Serah terima ini tidak bisa diubah begitu: sudah {status}.</translation>
    </message>
    <message>
        <source>Refresh the screen to see where it stands.</source>
        <translation>Segarkan layar untuk melihat posisinya.</translation>
    </message>
    <message>
        <source>There is no next department after {department} on route {route}.</source>
        <translation>Tidak ada bagian berikutnya setelah {department} di rute {route}.</translation>
    </message>
    <message>
        <source>Finished goods leave through the warehouse, not through a handoff.</source>
        <translation>Barang jadi keluar lewat gudang, bukan lewat serah terima.</translation>
    </message>
    <message>
        <source>{line} is not a line of the next department.</source>
        <translation>{line} bukan line bagian berikutnya.</translation>
    </message>
    <message>
        <source>Pick one of the lines shown.</source>
        <translation>Pilih salah satu line yang ada.</translation>
    </message>
    <message>
        <source>{value} pieces is more than can be sent: {sendable} are good and not yet sent.</source>
        <translation>{value} pcs lebih dari yang bisa dikirim: {sendable} bagus dan belum dikirim.</translation>
    </message>
    <message>
        <source>Send fewer, or record the output first.</source>
        <translation>Kirim lebih sedikit, atau catat hasilnya dulu.</translation>
    </message>
    <message>
        <source>{number} has not started: it has no pieces to hand over.</source>
        <translation>{number} belum mulai: belum ada pcs untuk diserahkan.</translation>
    </message>
    <message>
        <source>Start it and record its output first.</source>
        <translation>Mulai dulu dan catat hasilnya.</translation>
    </message>
    <message>
        <source>The counts recorded for this handoff do not agree with its outcome.</source>
        <translation>Jumlah yang dicatat untuk serah terima ini tidak cocok dengan hasilnya.</translation>
    </message>
    <message>
        <source>Nothing was changed. Ask the supervisor to check the slip and the counts.</source>
        <translation>Tidak ada yang diubah. Minta supervisor memeriksa slip dan hitungannya.</translation>
    </message>
    <message>
        <source>Slip {slip_id} cannot be printed: its batch is no longer waiting at {line}.</source>
        <translation>Slip {slip_id} tidak bisa dicetak: batch-nya sudah tidak menunggu di {line}.</translation>
    </message>
    <message>
        <source>A slip is printed only until the batch is received. The list shows where it is.</source>
        <translation>Slip hanya bisa dicetak sampai batch diterima. Daftar menunjukkan posisinya.</translation>
    </message>
    <message>
        <source>{line} is clear already.</source>
        <translation>{line} sudah kosong.</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>This slip&apos;s code could not be read completely.</source>
        <translation>Kode slip ini tidak terbaca lengkap.</translation>
    </message>
    <message>
        <source>Scan the square QR code again, flat and whole. If it is torn, ask for a reprint.</source>
        <translation>Scan lagi kode QR kotak, rata dan utuh. Kalau sobek, minta cetak ulang.</translation>
    </message>
    <message>
        <source>This slip was made at another site ({site}).</source>
        <translation>Slip ini dibuat di pabrik lain ({site}).</translation>
    </message>
    <message>
        <source>Do not take the batch in. An alert for your supervisor is raised.</source>
        <translation>Jangan terima batch ini. Supervisor sudah diberi peringatan.</translation>
    </message>
    <message>
        <source>This slip&apos;s signature does not match: it was changed or not made by our kiosks.</source>
        <translation>Tanda tangan slip ini tidak cocok: sudah diubah atau bukan dari kiosk kita.</translation>
    </message>
    <message>
        <source>This slip was printed in an old format that can no longer be checked.</source>
        <translation>Slip ini dicetak dengan format lama yang tidak bisa diperiksa lagi.</translation>
    </message>
    <message>
        <source>Do not take the batch in. Ask the sending line to print the slip again.</source>
        <translation>Jangan terima batch ini. Minta line pengirim mencetak slip lagi.</translation>
    </message>
    <message>
        <source>This slip was signed by a kiosk this kiosk does not know.</source>
        <translation>Slip ini ditandatangani kiosk yang tidak dikenal kiosk ini.</translation>
    </message>
    <message>
        <source>This slip was signed by a kiosk that has been taken out of service.</source>
        <translation>Slip ini ditandatangani kiosk yang sudah tidak dipakai.</translation>
    </message>
    <message>
        <source>This slip says it comes from {line}, but a kiosk of {signer_line} signed it.</source>
        <translation>Slip ini katanya dari {line}, tapi ditandatangani kiosk {signer_line}.</translation>
    </message>
    <message>
        <source>Slip {slip_id} has been received already.</source>
        <translation>Slip {slip_id} sudah diterima.</translation>
    </message>
    <message>
        <source>A slip is accepted only once. Call your supervisor if the batch came twice.</source>
        <translation>Slip hanya diterima sekali. Panggil supervisor kalau batch datang dua kali.</translation>
    </message>
    <message>
        <source>This slip is for {line}, not for {this_line}.</source>
        <translation>Slip ini untuk {line}, bukan untuk {this_line}.</translation>
    </message>
    <message>
        <source>Take the batch to {line}, or ask the sender for a new slip.</source>
        <translation>Bawa batch ke {line}, atau minta slip baru ke pengirim.</translation>
    </message>
    <message>
        <source>This slip is for {line}, a line of another department.</source>
        <translation>Slip ini untuk {line}, line bagian lain.</translation>
    </message>
    <message>
        <source>This batch does not belong here: take it to {line}.</source>
        <translation>Batch ini bukan untuk sini: bawa ke {line}.</translation>
    </message>
    <message>
        <source>This kiosk does not know slip {slip_id} yet.</source>
        <translation>Kiosk ini belum kenal slip {slip_id}.</translation>
    </message>
    <message>
        <source>Scan the square QR code on the slip instead of the bar code.</source>
        <translation>Scan kode QR kotak di slip, bukan barcode.</translation>
    </message>
    <message>
        <source>You cannot approve your own work: you requested, prepared or counted this.</source>
        <translation>Anda tidak bisa menyetujui kerjaan sendiri: Anda yang minta, menyiapkan atau menghitung ini.</translation>
    </message>
    <message>
        <source>Someone else with the right role must do it.</source>
        <translation>Orang lain dengan jabatan yang tepat harus melakukannya.</translation>
    </message>
    <message>
        <source>A reason is needed.</source>
        <translation>Perlu alasan.</translation>
    </message>
    <message>
        <source>Pick or type why, then confirm.</source>
        <translation>Pilih atau ketik alasannya, lalu konfirmasi.</translation>
    </message>
    <message>
        <source>The reason is too long ({length} characters, at most {limit}).</source>
        <translation>Alasan terlalu panjang ({length} huruf, paling banyak {limit}).</translation>
    </message>
    <message>
        <source>Say it in fewer words.</source>
        <translation>Tulis lebih singkat.</translation>
    </message>
    <message>
        <source>A count of 0 cannot be received.</source>
        <translation>Jumlah 0 tidak bisa diterima.</translation>
    </message>
    <message>
        <source>Count the pieces of the batch and type how many there are.</source>
        <translation>Hitung pcs di batch dan ketik jumlahnya.</translation>
    </message>
    <message>
        <source>Nothing to send: the quantity is 0.</source>
        <translation>Tidak ada yang dikirim: jumlahnya 0.</translation>
    </message>
    <message>
        <source>Type how many pieces go.</source>
        <translation>Ketik berapa pcs yang dikirim.</translation>
    </message>
    <message>
        <source>Nothing to request: the quantity is 0.</source>
        <translation>Tidak ada yang diminta: jumlahnya 0.</translation>
    </message>
    <message>
        <source>Type how many you need on the number pad, then Send.</source>
        <translation>Ketik berapa yang perlu dengan tombol angka, lalu Kirim.</translation>
    </message>
    <message>
        <source>Nothing to record: good and reject are both 0.</source>
        <translation>Tidak ada yang dicatat: bagus dan reject sama-sama 0.</translation>
    </message>
    <message>
        <source>Type how many good or rejected pieces you made.</source>
        <translation>Ketik berapa pcs bagus atau reject yang Anda buat.</translation>
    </message>
    <message>
        <source>another batch</source>
        <translation>batch lain</translation>
    </message>
    <message>
        <source>for {destination}</source>
        <translation>untuk {destination}</translation>
    </message>
    <message>
        <source>since {time}</source>
        <translation>sejak {time}</translation>
    </message>
    <message>
        <source>{line} is not clear: it holds {held}.</source>
        <translation>{line} belum kosong: masih berisi {held}.</translation>
    </message>
    <message>
        <source>Ask the supervisor of {line} to clear the line, then try again.</source>
        <translation>Minta supervisor {line} mengosongkan line, lalu coba lagi.</translation>
    </message>
    <message>
        <source>Batches for different destinations never share a line.</source>
        <translation>Batch untuk tujuan berbeda tidak boleh di satu line.</translation>
    </message>
    <message>
        <source>A badge</source>
        <translation>Lencana</translation>
    </message>
    <message>
        <source>A work order</source>
        <translation>SPK</translation>
    </message>
    <message>
        <source>A transfer slip</source>
        <translation>Slip serah terima</translation>
    </message>
    <message>
        <source>A kanban card</source>
        <translation>Kartu kanban</translation>
    </message>
    <message>
        <source>This is a product barcode, not a badge or a work order.</source>
        <translation>Ini barcode produk, bukan lencana atau SPK.</translation>
    </message>
    <message>
        <source>Nothing was changed. Tap your badge to log in.</source>
        <translation>Tidak ada yang diubah. Tempel lencana untuk masuk.</translation>
    </message>
    <message>
        <source>Nothing was changed. Scan the work order on the SPK paper.</source>
        <translation>Tidak ada yang diubah. Scan SPK di kertas SPK.</translation>
    </message>
    <message>
        <source>Log in first, then scan it.</source>
        <translation>Masuk dulu, lalu scan.</translation>
    </message>
    <message>
        <source>Tap your badge or your name to log in.</source>
        <translation>Tempel lencana atau ketuk nama Anda untuk masuk.</translation>
    </message>
    <message>
        <source>Finish or cancel the quantity you are typing first.</source>
        <translation>Selesaikan atau batalkan dulu jumlah yang sedang diketik.</translation>
    </message>
    <message>
        <source>Then scan the work order again.</source>
        <translation>Lalu scan SPK lagi.</translation>
    </message>
    <message>
        <source>This code</source>
        <translation>Kode ini</translation>
    </message>
    <message>
        <source>{what} cannot be used on this screen.</source>
        <translation>{what} tidak bisa dipakai di layar ini.</translation>
    </message>
    <message>
        <source>Nothing was changed. Go to the screen for it and scan again.</source>
        <translation>Tidak ada yang diubah. Buka layarnya lalu scan lagi.</translation>
    </message>
    <message>
        <source>It cannot be started</source>
        <translation>Tidak bisa dimulai</translation>
    </message>
    <message>
        <source>Quantities cannot be recorded</source>
        <translation>Jumlah tidak bisa dicatat</translation>
    </message>
    <message>
        <source>It cannot be paused</source>
        <translation>Tidak bisa dijeda</translation>
    </message>
    <message>
        <source>It cannot be resumed</source>
        <translation>Tidak bisa dilanjutkan</translation>
    </message>
    <message>
        <source>It cannot be completed</source>
        <translation>Tidak bisa diselesaikan</translation>
    </message>
    <message>
        <source>That is not possible</source>
        <translation>Tidak bisa</translation>
    </message>
    <message>
        <source>the work order has not been started</source>
        <translation>SPK belum dimulai</translation>
    </message>
    <message>
        <source>Press Start first.</source>
        <translation>Tekan Mulai dulu.</translation>
    </message>
    <message>
        <source>the work order is already running</source>
        <translation>SPK sudah jalan</translation>
    </message>
    <message>
        <source>Use the buttons that are lit.</source>
        <translation>Pakai tombol yang menyala.</translation>
    </message>
    <message>
        <source>the work order is paused</source>
        <translation>SPK sedang dijeda</translation>
    </message>
    <message>
        <source>Press Resume first.</source>
        <translation>Tekan Lanjut dulu.</translation>
    </message>
    <message>
        <source>the work order is complete</source>
        <translation>SPK sudah selesai</translation>
    </message>
    <message>
        <source>Nothing more can be done on it; pick another work order.</source>
        <translation>Tidak ada lagi yang bisa dilakukan; pilih SPK lain.</translation>
    </message>
    <message>
        <source>the work order was cancelled by the office</source>
        <translation>SPK dibatalkan kantor</translation>
    </message>
    <message>
        <source>the work order was closed by the office</source>
        <translation>SPK ditutup kantor</translation>
    </message>
    <message>
        <source>of its state</source>
        <translation>keadaannya</translation>
    </message>
    <message>
        <source>{what}: {reason}.</source>
        <translation>{what}: {reason}.</translation>
    </message>
    <message>
        <source>This card</source>
        <translation>Kartu ini</translation>
    </message>
    <message>
        <source>Refresh the board to see where it stands.</source>
        <translation>Segarkan papan untuk melihat posisinya.</translation>
    </message>
    <message>
        <source>{card} has not been approved yet.</source>
        <translation>{card} belum disetujui.</translation>
    </message>
    <message>
        <source>Ask the warehouse; scan the card again once it is marked in transit.</source>
        <translation>Tanya gudang; scan kartu lagi setelah ditandai dikirim.</translation>
    </message>
    <message>
        <source>{card} is approved but not yet marked in transit.</source>
        <translation>{card} sudah disetujui tapi belum ditandai dikirim.</translation>
    </message>
    <message>
        <source>Ask the warehouse to mark it in transit, then scan the card again.</source>
        <translation>Minta gudang menandainya dikirim, lalu scan kartu lagi.</translation>
    </message>
    <message>
        <source>{card} has been received already.</source>
        <translation>{card} sudah diterima.</translation>
    </message>
    <message>
        <source>Nothing was changed. A card is received only once.</source>
        <translation>Tidak ada yang diubah. Satu kartu hanya diterima sekali.</translation>
    </message>
    <message>
        <source>The warehouse rejected {card}.</source>
        <translation>Gudang menolak {card}.</translation>
    </message>
    <message>
        <source>Nothing was changed. The reason is on the Kanban board.</source>
        <translation>Tidak ada yang diubah. Alasannya ada di papan Kanban.</translation>
    </message>
    <message>
        <source>{card} cannot be received now.</source>
        <translation>{card} tidak bisa diterima sekarang.</translation>
    </message>
    <message>
        <source>{card} has been decided already.</source>
        <translation>{card} sudah diputuskan.</translation>
    </message>
    <message>
        <source>{card} is not approved yet.</source>
        <translation>{card} belum disetujui.</translation>
    </message>
    <message>
        <source>A warehouse admin must approve it first.</source>
        <translation>Admin gudang harus menyetujuinya dulu.</translation>
    </message>
    <message>
        <source>{card} cannot take that step now.</source>
        <translation>{card} tidak bisa ke langkah itu sekarang.</translation>
    </message>
    <message>
        <source>Item {item} is not in the warehouse list, or is no longer supplied.</source>
        <translation>Barang {item} tidak ada di daftar gudang, atau sudah tidak disediakan.</translation>
    </message>
    <message>
        <source>Pick an item from the list.</source>
        <translation>Pilih barang dari daftar.</translation>
    </message>
    <message>
        <source>Kanban card {card} is not known on this kiosk.</source>
        <translation>Kartu kanban {card} tidak dikenal di kiosk ini.</translation>
    </message>
    <message>
        <source>Nothing was changed. Check the card, or ask the warehouse.</source>
        <translation>Tidak ada yang diubah. Periksa kartu, atau tanya gudang.</translation>
    </message>
    <message>
        <source>{card} is for {line}, not for {this_line}.</source>
        <translation>{card} untuk {line}, bukan untuk {this_line}.</translation>
    </message>
    <message>
        <source>Nothing was changed. Take the goods and the card to {line}.</source>
        <translation>Tidak ada yang diubah. Bawa barang dan kartunya ke {line}.</translation>
    </message>
    <message>
        <source>{value} {unit} is more than one request may ask for {item} (at most {max}).</source>
        <translation>{value} {unit} lebih dari batas satu permintaan {item} (paling banyak {max}).</translation>
    </message>
    <message>
        <source>Ask for {max} or fewer; ask the warehouse admin if the line needs more.</source>
        <translation>Minta {max} atau kurang; tanya admin gudang kalau line perlu lebih.</translation>
    </message>
    <message>
        <source>There is no serial port {value} on this kiosk.</source>
        <translation>Tidak ada port serial {value} di kiosk ini.</translation>
    </message>
    <message>
        <source>Plug the badge reader in, or choose one of the ports found. Nothing was changed.</source>
        <translation>Colokkan pembaca lencana, atau pilih port yang ditemukan. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>There is no camera {value} on this kiosk.</source>
        <translation>Tidak ada kamera {value} di kiosk ini.</translation>
    </message>
    <message>
        <source>Plug the camera in, or choose one of the cameras found. Nothing was changed.</source>
        <translation>Colokkan kamera, atau pilih kamera yang ditemukan. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>There is no printer {value} on this kiosk.</source>
        <translation>Tidak ada printer {value} di kiosk ini.</translation>
    </message>
    <message>
        <source>Install the printer, or choose one of the printers found. Nothing was changed.</source>
        <translation>Pasang printer, atau pilih printer yang ditemukan. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>This setting cannot be changed on the kiosk.</source>
        <translation>Pengaturan ini tidak bisa diubah di kiosk.</translation>
    </message>
    <message>
        <source>It is set when the kiosk is installed or enrolled. Nothing was changed.</source>
        <translation>Diatur saat kiosk dipasang atau didaftarkan. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>The setting could not be saved: {reason}.</source>
        <translation>Pengaturan tidak bisa disimpan: {reason}.</translation>
    </message>
    <message>
        <source>Check the kiosk&apos;s disk. Nothing was changed.</source>
        <translation>Periksa disk kiosk. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>This value has characters a setting cannot hold.</source>
        <translation>Nilai ini berisi huruf yang tidak bisa dipakai.</translation>
    </message>
    <message>
        <source>Type it again. Nothing was changed.</source>
        <translation>Ketik lagi. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>{value} is not one of the choices.</source>
        <translation>{value} tidak ada di pilihan.</translation>
    </message>
    <message>
        <source>Tap one of the buttons. Nothing was changed.</source>
        <translation>Ketuk salah satu tombol. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Badge reader port</source>
        <translation>Port pembaca lencana</translation>
    </message>
    <message>
        <source>Badge reader protocol</source>
        <translation>Protokol pembaca lencana</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>System printer</source>
        <translation>Printer sistem</translation>
    </message>
    <message>
        <source>Sounds</source>
        <translation>Suara</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source>Test: tap a badge</source>
        <translation>Tes: tempel lencana</translation>
    </message>
    <message>
        <source>Test: scan a code</source>
        <translation>Tes: scan kode</translation>
    </message>
    <message>
        <source>Print a test slip</source>
        <translation>Cetak slip tes</translation>
    </message>
    <message>
        <source>Play a tone</source>
        <translation>Bunyikan nada</translation>
    </message>
    <message>
        <source>A key has this name already (revoked keys keep theirs): choose another.</source>
        <translation>Nama ini sudah dipakai (kunci yang dicabut tetap punya nama): pilih nama lain.</translation>
    </message>
    <message>
        <source>Use letters, digits and - only, starting with a letter or digit.</source>
        <translation>Pakai huruf, angka dan - saja, diawali huruf atau angka.</translation>
    </message>
    <message>
        <source>There is no key with this name.</source>
        <translation>Tidak ada kunci dengan nama ini.</translation>
    </message>
    <message>
        <source>This key is revoked already.</source>
        <translation>Kunci ini sudah dicabut.</translation>
    </message>
    <message>
        <source>This work order number is taken already.</source>
        <translation>Nomor SPK ini sudah dipakai.</translation>
    </message>
    <message>
        <source>There is no work order with this number.</source>
        <translation>Tidak ada SPK dengan nomor ini.</translation>
    </message>
    <message>
        <source>Holds a character that cannot be used.</source>
        <translation>Berisi huruf yang tidak bisa dipakai.</translation>
    </message>
    <message>
        <source>Use letters, digits and . _ / - only (e.g. WO-2026-0042).</source>
        <translation>Hanya huruf, angka dan . _ / - (contoh WO-2026-0042).</translation>
    </message>
    <message>
        <source>A whole number.</source>
        <translation>Angka bulat.</translation>
    </message>
    <message>
        <source>This date is past: choose today or later.</source>
        <translation>Tanggal lewat: pilih hari ini atau nanti.</translation>
    </message>
    <message>
        <source>Choose a route.</source>
        <translation>Pilih rute.</translation>
    </message>
    <message>
        <source>This route does not pass the line&apos;s department.</source>
        <translation>Rute ini tidak lewat bagian line ini.</translation>
    </message>
    <message>
        <source>Lower than the good pieces recorded already.</source>
        <translation>Kurang dari pcs bagus yang sudah dicatat.</translation>
    </message>
    <message>
        <source>It is running on its line: its supervisor completes it first.</source>
        <translation>Masih jalan di line: supervisor selesaikan dulu.</translation>
    </message>
    <message>
        <source>It is cancelled or closed: it changes no more.</source>
        <translation>Sudah dibatalkan/ditutup: tidak bisa diubah lagi.</translation>
    </message>
    <message>
        <source>It cannot be cancelled now.</source>
        <translation>Tidak bisa dibatalkan sekarang.</translation>
    </message>
    <message>
        <source>From 1 to 10,000,000 pieces.</source>
        <translation>Dari 1 sampai 10.000.000 pcs.</translation>
    </message>
</context>
<context>
    <name>NameKeys</name>
    <message>
        <source>Space</source>
        <translation>Spasi</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Delete last character</source>
        <translation>Hapus huruf terakhir</translation>
    </message>
</context>
<context>
    <name>PauseReasonScreen</name>
    <message>
        <source>Cancel: keep it running</source>
        <translation>Batal: biarkan jalan</translation>
    </message>
    <message>
        <source>Why is {number} paused?</source>
        <translation>Kenapa {number} dijeda?</translation>
    </message>
</context>
<context>
    <name>PeopleFlow</name>
    <message>
        <source>{name}: type your PIN to open the people list</source>
        <translation>{name}: ketik PIN untuk membuka daftar orang</translation>
    </message>
    <message>
        <source>{name}: type your PIN to add {person}</source>
        <translation>{name}: ketik PIN untuk menambah {person}</translation>
    </message>
    <message>
        <source>{person} was added: they choose a PIN at their first tap.</source>
        <translation>{person} ditambahkan: PIN dipilih saat pertama menempel lencana.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to change {person}</source>
        <translation>{name}: ketik PIN untuk mengubah {person}</translation>
    </message>
    <message>
        <source>{person} was changed.</source>
        <translation>{person} sudah diubah.</translation>
    </message>
    <message>
        <source>The server refused this: nothing was changed.</source>
        <translation>Server menolak: tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Correct the fields marked in red and save again.</source>
        <translation>Perbaiki kolom yang merah lalu simpan lagi.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to deactivate {person}</source>
        <translation>{name}: ketik PIN untuk menonaktifkan {person}</translation>
    </message>
    <message>
        <source>{person} can no longer log in.</source>
        <translation>{person} tidak bisa masuk lagi.</translation>
    </message>
    <message>
        <source>Deactivate {person}?</source>
        <translation>Nonaktifkan {person}?</translation>
    </message>
    <message>
        <source>They log in nowhere from each kiosk&apos;s next sync; their history stays.</source>
        <translation>Mulai sinkron berikutnya di tiap kiosk, orang ini tidak bisa masuk; riwayatnya tetap ada.</translation>
    </message>
    <message>
        <source>No, keep them</source>
        <translation>Tidak, biarkan</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Nonaktifkan</translation>
    </message>
    <message>
        <source>The PIN of {person} was reset.</source>
        <translation>PIN {person} sudah direset.</translation>
    </message>
    <message>
        <source>They choose a new PIN at their next badge tap.</source>
        <translation>PIN baru dipilih saat menempel lencana berikutnya.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to reset the PIN of {person}</source>
        <translation>{name}: ketik PIN untuk mereset PIN {person}</translation>
    </message>
    <message>
        <source>Reset the PIN of {person}?</source>
        <translation>Reset PIN {person}?</translation>
    </message>
    <message>
        <source>Their PIN stops working; they choose a new one at their next badge tap.</source>
        <translation>PIN-nya tidak berlaku lagi; PIN baru dipilih saat menempel lencana berikutnya.</translation>
    </message>
    <message>
        <source>No, keep it</source>
        <translation>Tidak, simpan</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>Reset PIN</translation>
    </message>
</context>
<context>
    <name>PeopleScreen</name>
    <message>
        <source>People</source>
        <translation>Orang</translation>
    </message>
    <message>
        <source>Badges</source>
        <translation>Lencana</translation>
    </message>
    <message>
        <source>Add a person</source>
        <translation>Tambah orang</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Cari</translation>
    </message>
    <message>
        <source>Nobody found.</source>
        <translation>Tidak ada yang ditemukan.</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Sebelumnya</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Berikutnya</translation>
    </message>
    <message>
        <source>Page {n}</source>
        <translation>Halaman {n}</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>nonaktif</translation>
    </message>
    <message>
        <source>no PIN yet</source>
        <translation>belum ada PIN</translation>
    </message>
    <message>
        <source>Employee no.</source>
        <translation>No. karyawan</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Jabatan</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Bagian</translation>
    </message>
    <message>
        <source>Lines (codes)</source>
        <translation>Line (kode)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Tidak ada</translation>
    </message>
    <message>
        <source>Kiosk&apos;s language</source>
        <translation>Bahasa kios</translation>
    </message>
    <message>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <source>Bahasa Indonesia</source>
        <translation>Bahasa Indonesia</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>Reset PIN</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Nonaktifkan</translation>
    </message>
    <message>
        <source>{name} ({employee_no})</source>
        <translation>{name} ({employee_no})</translation>
    </message>
</context>
<context>
    <name>PinEntryScreen</name>
    <message>
        <source>Confirm</source>
        <translation>Konfirmasi</translation>
    </message>
</context>
<context>
    <name>PrintDocument</name>
    <message>
        <source>QT-09 transfer slip</source>
        <extracomment>Printer-class resolution of the PDF: modules land on whole dots of a 300 dpi printer. QR modules by row, dark True, no quiet zone.</extracomment>
        <translation>Slip serah terima QT-09</translation>
    </message>
    <message>
        <source>Work order</source>
        <translation>SPK</translation>
    </message>
    <message>
        <source>MO</source>
        <translation>MO</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Dari</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Ke</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Tujuan</translation>
    </message>
    <message>
        <source>Prepared</source>
        <translation>Disiapkan</translation>
    </message>
    <message>
        <source>The quantity is only in the code. Receiver: scan it, then count every piece.</source>
        <translation>Jumlah hanya ada di kode. Penerima: scan kodenya, lalu hitung setiap pcs.</translation>
    </message>
    <message>
        <source>Sender&apos;s stub: tear off and keep</source>
        <translation>Potongan pengirim: sobek dan simpan</translation>
    </message>
    <message>
        <source>Slip</source>
        <translation>Slip</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Dikirim</translation>
    </message>
    <message>
        <source>E-Kanban card</source>
        <translation>Kartu E-Kanban</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Barang</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Jumlah</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>Diminta</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Disetujui</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Ditolak</translation>
    </message>
    <message>
        <source>On arrival at {line}: scan this card at the line&apos;s kiosk.</source>
        <translation>Sampai di {line}: scan kartu ini di kiosk line.</translation>
    </message>
</context>
<context>
    <name>ReceiveScreen</name>
    <message>
        <source>How many were sent is not printed on the slip and not shown here: count every piece of the batch yourself.</source>
        <translation>Jumlah yang dikirim tidak tercetak di slip dan tidak tampil di sini: hitung sendiri setiap pcs di batch.</translation>
    </message>
    <message>
        <source>Pieces counted</source>
        <translation>Jumlah dihitung</translation>
    </message>
    <message>
        <source>Confirm count</source>
        <translation>Konfirmasi jumlah</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Receive {number}</source>
        <translation>Terima {number}</translation>
    </message>
    <message>
        <source>{article} · for {destination}</source>
        <translation>{article} · untuk {destination}</translation>
    </message>
    <message>
        <source>From {from_line} by {by} at {time}
Slip {slip}</source>
        <translation>Dari {from_line} oleh {by} jam {time}
Slip {slip}</translation>
    </message>
    <message>
        <source>Pieces counted again</source>
        <translation>Jumlah hitung ulang</translation>
    </message>
    <message>
        <source>Count again: your count does not match the slip. Count every piece once more from the start; a second count that does not match holds the batch.</source>
        <translation>Hitung lagi: hitungan Anda tidak cocok dengan slip. Hitung lagi setiap pcs dari awal; kalau hitungan kedua tidak cocok, batch ditahan.</translation>
    </message>
    <message>
        <source>✔ Accepted</source>
        <translation>✔ Diterima</translation>
    </message>
    <message>
        <source>{n} pieces of {number} are on this line now.</source>
        <translation>{n} pcs {number} sekarang ada di line ini.</translation>
    </message>
    <message>
        <source>⚠ Held: the count does not match the slip</source>
        <translation>⚠ Ditahan: hitungan tidak cocok dengan slip</translation>
    </message>
    <message>
        <source>Both counts ({first} and {n}) are recorded. Keep the batch apart: an alert for the {department} supervisor is raised, and they decide.</source>
        <translation>Kedua hitungan ({first} dan {n}) sudah dicatat. Pisahkan batch ini: supervisor {department} diberi peringatan dan akan memutuskan.</translation>
    </message>
    <message>
        <source>Your count of {n} is recorded. Keep the batch apart: an alert for the {department} supervisor is raised, and they decide.</source>
        <translation>Hitungan {n} Anda sudah dicatat. Pisahkan batch ini: supervisor {department} diberi peringatan dan akan memutuskan.</translation>
    </message>
</context>
<context>
    <name>RecordPanel</name>
    <message>
        <source>Good</source>
        <translation>Bagus</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>Reject reason</source>
        <translation>Alasan reject</translation>
    </message>
    <message>
        <source>✔  Confirm</source>
        <translation>✔  Konfirmasi</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>{number} · {article} · {open} of {target} still open</source>
        <translation>{number} · {article} · sisa {open} dari {target}</translation>
    </message>
</context>
<context>
    <name>SessionFlow</name>
    <message>
        <source>Department</source>
        <translation>Bagian</translation>
    </message>
    <message>
        <source>Kanban board</source>
        <translation>Papan kanban</translation>
    </message>
    <message>
        <source>Work orders</source>
        <translation>SPK</translation>
    </message>
    <message>
        <source>Too many wrong PINs here.</source>
        <translation>Terlalu banyak PIN salah di sini.</translation>
    </message>
    <message>
        <source>You are logged in already, {name}.</source>
        <translation>Anda sudah masuk, {name}.</translation>
    </message>
    <message>
        <source>Your unfinished entry was kept; log in again to continue it.</source>
        <translation>Catatan yang belum selesai disimpan; masuk lagi untuk melanjutkan.</translation>
    </message>
    <message>
        <source>Logged out after a time without activity.</source>
        <translation>Keluar otomatis karena lama tidak dipakai.</translation>
    </message>
    <message>
        <source>Logging out in {n} s.</source>
        <translation>Keluar dalam {n} dtk.</translation>
    </message>
    <message>
        <source>Touch the screen to stay logged in.</source>
        <translation>Sentuh layar supaya tetap masuk.</translation>
    </message>
</context>
<context>
    <name>SettingsFlow</name>
    <message>
        <source>Badge read by the reader: …{end} ({n} characters).</source>
        <translation>Lencana terbaca di pembaca: …{end} ({n} karakter).</translation>
    </message>
    <message>
        <source>Code read by the camera: {code}</source>
        <translation>Kode terbaca kamera: {code}</translation>
    </message>
    <message>
        <source>Code read by the scanner: {code}</source>
        <translation>Kode terbaca scanner: {code}</translation>
    </message>
    <message>
        <source>Tap a choice to change it; tap a test to try it.</source>
        <translation>Ketuk pilihan untuk mengubah; ketuk tes untuk mencoba.</translation>
    </message>
    <message>
        <source>In use now.</source>
        <translation>Sedang dipakai.</translation>
    </message>
    <message>
        <source>It applies at the next start.</source>
        <translation>Berlaku saat kiosk dijalankan lagi.</translation>
    </message>
    <message>
        <source>The command line sets it again at the next start.</source>
        <translation>Baris perintah mengaturnya lagi saat kiosk dijalankan lagi.</translation>
    </message>
    <message>
        <source>{setting}: changed from {before} to {after}.</source>
        <translation>{setting}: diubah dari {before} ke {after}.</translation>
    </message>
    <message>
        <source>Tap a badge on the reader now.</source>
        <translation>Tempel lencana ke pembaca sekarang.</translation>
    </message>
    <message>
        <source>Scan a code with the scanner, or hold one in front of the camera.</source>
        <translation>Scan kode dengan scanner, atau tahan kode di depan kamera.</translation>
    </message>
    <message>
        <source>A tone was played.</source>
        <translation>Nada sudah dibunyikan.</translation>
    </message>
    <message>
        <source>Sounds are off: nothing was played.</source>
        <translation>Suara mati: tidak ada yang dibunyikan.</translation>
    </message>
    <message>
        <source>Test slip</source>
        <translation>Slip tes</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>Dicetak</translation>
    </message>
    <message>
        <source>This slip is a test: it moves no goods.</source>
        <translation>Slip ini hanya tes: tidak memindahkan barang.</translation>
    </message>
    <message>
        <source>Printing a test slip…</source>
        <translation>Mencetak slip tes…</translation>
    </message>
    <message>
        <source>The test slip was printed: {where}</source>
        <translation>Slip tes sudah dicetak: {where}</translation>
    </message>
    <message>
        <source>The test slip could not be printed.</source>
        <translation>Slip tes tidak bisa dicetak.</translation>
    </message>
    <message>
        <source>Check the printer and its setting, then try again.</source>
        <translation>Periksa printer dan pengaturannya, lalu coba lagi.</translation>
    </message>
    <message>
        <source>Not printed: the printer&apos;s state is on the strip below.</source>
        <translation>Tidak dicetak: keadaan printer ada di baris bawah.</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>Kiosk settings</source>
        <translation>Pengaturan kiosk</translation>
    </message>
    <message>
        <source>Tap a choice to change it; tap a test to try it.</source>
        <translation>Ketuk pilihan untuk mengubah; ketuk tes untuk mencoba.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>default</source>
        <translation>bawaan</translation>
    </message>
    <message>
        <source>set here</source>
        <translation>diatur di sini</translation>
    </message>
    <message>
        <source>command line: wins at the next start</source>
        <translation>baris perintah: berlaku saat dijalankan lagi</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>environment</translation>
    </message>
    <message>
        <source>settings file</source>
        <translation>file pengaturan</translation>
    </message>
    <message>
        <source>none</source>
        <translation>tidak ada</translation>
    </message>
    <message>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <source>Bahasa Indonesia</source>
        <translation>Bahasa Indonesia</translation>
    </message>
    <message>
        <source>the system&apos;s</source>
        <translation>ikut sistem</translation>
    </message>
    <message>
        <source>system printer</source>
        <translation>printer sistem</translation>
    </message>
    <message>
        <source>the default printer</source>
        <translation>printer bawaan</translation>
    </message>
    <message>
        <source>applies at the next start</source>
        <translation>berlaku saat dijalankan lagi</translation>
    </message>
    <message>
        <source>No reader</source>
        <translation>Tanpa pembaca</translation>
    </message>
    <message>
        <source>The default printer</source>
        <translation>Printer bawaan</translation>
    </message>
    <message>
        <source>Camera {n}</source>
        <translation>Kamera {n}</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>Tanpa kamera</translation>
    </message>
    <message>
        <source>RDM6300</source>
        <translation>RDM6300</translation>
    </message>
    <message>
        <source>Text lines</source>
        <translation>Baris teks</translation>
    </message>
    <message>
        <source>PDF files</source>
        <translation>File PDF</translation>
    </message>
    <message>
        <source>System printer</source>
        <translation>Printer sistem</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Nyala</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Mati</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Sistem</translation>
    </message>
</context>
<context>
    <name>SetupScreen</name>
    <message>
        <source>Line kiosk - set up</source>
        <translation>Line kiosk - penyiapan</translation>
    </message>
    <message>
        <source>Type the enrolment code</source>
        <translation>Ketik kode pendaftaran</translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation>Daftarkan</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Berikutnya</translation>
    </message>
    <message>
        <source>Edit the address</source>
        <translation>Ubah alamat</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Coba lagi</translation>
    </message>
    <message>
        <source>Set up this kiosk: the server&apos;s address</source>
        <translation>Siapkan kiosk ini: alamat server</translation>
    </message>
    <message>
        <source>Type the address the admin gives you, or show the admin&apos;s enrolment QR code to the camera or the scanner.</source>
        <translation>Ketik alamat dari admin, atau tunjukkan kode QR pendaftaran dari admin ke kamera atau scanner.</translation>
    </message>
    <message>
        <source>Set up this kiosk: the enrolment code</source>
        <translation>Siapkan kiosk ini: kode pendaftaran</translation>
    </message>
    <message>
        <source>Server {url}</source>
        <translation>Server {url}</translation>
    </message>
    <message>
        <source>Server {url}, certificate SHA-256 {digest}…</source>
        <translation>Server {url}, sertifikat SHA-256 {digest}…</translation>
    </message>
    <message>
        <source>Type the {digits}-digit code from the admin&apos;s screen</source>
        <translation>Ketik kode {digits} angka dari layar admin</translation>
    </message>
    <message>
        <source>Looking for the server at {url}…</source>
        <translation>Mencari server di {url}…</translation>
    </message>
    <message>
        <source>An enrolment code has {digits} digits; {typed} are typed.</source>
        <translation>Kode pendaftaran punya {digits} angka; baru {typed} yang diketik.</translation>
    </message>
    <message>
        <source>Enrolling this kiosk with code {code}…</source>
        <translation>Mendaftarkan kiosk ini dengan kode {code}…</translation>
    </message>
    <message>
        <source>Enrolled for {where}</source>
        <translation>Terdaftar untuk {where}</translation>
    </message>
    <message>
        <source>Getting the line&apos;s data ready…</source>
        <translation>Menyiapkan data line…</translation>
    </message>
    <message>
        <source>This is not an enrolment code</source>
        <translation>Ini bukan kode pendaftaran</translation>
    </message>
    <message>
        <source>Show the QR code from the admin&apos;s Devices screen, or type the server&apos;s address and the code.</source>
        <translation>Tunjukkan kode QR dari layar Perangkat admin, atau ketik alamat server dan kodenya.</translation>
    </message>
    <message>
        <source>This enrolment code is from a newer server</source>
        <translation>Kode pendaftaran ini dari server yang lebih baru</translation>
    </message>
    <message>
        <source>Update this kiosk&apos;s program, or type the address and the code.</source>
        <translation>Perbarui program kiosk ini, atau ketik alamat dan kodenya.</translation>
    </message>
    <message>
        <source>The server address in this code cannot be used</source>
        <translation>Alamat server di kode ini tidak bisa dipakai</translation>
    </message>
    <message>
        <source>This enrolment code cannot be read</source>
        <translation>Kode pendaftaran ini tidak terbaca</translation>
    </message>
    <message>
        <source>The QR code is damaged or incomplete. Ask the admin to show it again, or type the address and the code.</source>
        <translation>Kode QR rusak atau tidak lengkap. Minta admin menunjukkannya lagi, atau ketik alamat dan kodenya.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>Type the code again</source>
        <translation>Ketik kodenya lagi</translation>
    </message>
    <message>
        <source>The server refused this code</source>
        <translation>Server menolak kode ini</translation>
    </message>
    <message>
        <source>It is unknown, already used or expired. Check the digits, or ask an admin for a new code.</source>
        <translation>Kode tidak dikenal, sudah dipakai atau kedaluwarsa. Periksa angkanya, atau minta kode baru ke admin.</translation>
    </message>
    <message>
        <source>The server cannot be reached</source>
        <translation>Server tidak bisa dihubungi</translation>
    </message>
    <message>
        <source>Nothing answered at {url}. Check the address, and that this kiosk&apos;s network cable is in.</source>
        <translation>Tidak ada jawaban di {url}. Periksa alamatnya, dan kabel jaringan kiosk ini.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate does not match</source>
        <translation>Sertifikat server tidak cocok</translation>
    </message>
    <message>
        <source>The server at {url} does not present the certificate the admin&apos;s code names. Nothing was sent. Check the address, and tell the admin: someone may be in between.</source>
        <translation>Server di {url} tidak memakai sertifikat yang disebut kode admin. Tidak ada yang dikirim. Periksa alamatnya, dan beri tahu admin: mungkin ada pihak lain di tengah.</translation>
    </message>
    <message>
        <source>This code is for a line the server no longer has</source>
        <translation>Kode ini untuk line yang sudah tidak ada di server</translation>
    </message>
    <message>
        <source>Ask an admin for a code for one of the site&apos;s lines.</source>
        <translation>Minta kode untuk salah satu line pabrik ke admin.</translation>
    </message>
    <message>
        <source>Type another code</source>
        <translation>Ketik kode lain</translation>
    </message>
    <message>
        <source>Too many wrong codes</source>
        <translation>Terlalu banyak kode salah</translation>
    </message>
    <message>
        <source>The server takes no code from this kiosk for a while. Wait a few minutes, then try again.</source>
        <translation>Server tidak menerima kode dari kiosk ini untuk sementara. Tunggu beberapa menit, lalu coba lagi.</translation>
    </message>
    <message>
        <source>This address is not encrypted</source>
        <translation>Alamat ini tidak dienkripsi</translation>
    </message>
    <message>
        <source>This kiosk already holds a site</source>
        <translation>Kiosk ini sudah punya data pabrik</translation>
    </message>
    <message>
        <source>Ask the admin: it must be set up with an empty data folder.</source>
        <translation>Tanya admin: kiosk harus disiapkan dengan folder data kosong.</translation>
    </message>
    <message>
        <source>The kiosk could not be enrolled</source>
        <translation>Kiosk tidak bisa didaftarkan</translation>
    </message>
    <message>
        <source>The server said: {error}</source>
        <translation>Kata server: {error}</translation>
    </message>
    <message>
        <source>Type the server&apos;s address.</source>
        <translation>Ketik alamat server.</translation>
    </message>
    <message>
        <source>The address starts with https:// (tap the https:// key).</source>
        <translation>Alamat dimulai dengan https:// (ketuk tombol https://).</translation>
    </message>
    <message>
        <source>Use https://: over http:// the kiosk&apos;s keys would cross the network unencrypted (http:// only to this computer).</source>
        <translation>Pakai https://: lewat http:// kunci kiosk lewat jaringan tanpa enkripsi (http:// hanya ke komputer ini).</translation>
    </message>
    <message>
        <source>Type the server&apos;s name or number after https://.</source>
        <translation>Ketik nama atau nomor server setelah https://.</translation>
    </message>
    <message>
        <source>The port after the colon must be a number from 1 to 65535.</source>
        <translation>Port setelah titik dua harus angka 1 sampai 65535.</translation>
    </message>
    <message>
        <source>Only the server&apos;s address: no ?, # or @ parts.</source>
        <translation>Hanya alamat server: tanpa bagian ?, # atau @.</translation>
    </message>
</context>
<context>
    <name>SupervisorFlow</name>
    <message>
        <source>Syncing now.</source>
        <translation>Sinkron sekarang.</translation>
    </message>
    <message>
        <source>The strip below shows when it is done.</source>
        <translation>Baris bawah menunjukkan kapan selesai.</translation>
    </message>
    <message>
        <source>Alert acknowledged.</source>
        <translation>Peringatan ditangani.</translation>
    </message>
    <message>
        <source>Account unlocked.</source>
        <translation>Akun sudah dibuka.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to unlock the account</source>
        <translation>{name}: ketik PIN untuk membuka akun</translation>
    </message>
    <message>
        <source>The batch moved on to the next step</source>
        <translation>Batch sudah pindah ke langkah berikutnya</translation>
    </message>
    <message>
        <source>The line was emptied and checked</source>
        <translation>Line sudah dikosongkan dan diperiksa</translation>
    </message>
    <message>
        <source>The recorded batch was never there</source>
        <translation>Batch yang tercatat tidak pernah ada</translation>
    </message>
    <message>
        <source>{line} is clear.</source>
        <translation>{line} kosong.</translation>
    </message>
    <message>
        <source>Clear {line}?</source>
        <translation>Kosongkan {line}?</translation>
    </message>
    <message>
        <source>Say why. Who, when and why are recorded.</source>
        <translation>Tulis alasannya. Siapa, kapan dan kenapa dicatat.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
</context>
<context>
    <name>SupervisorScreen</name>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sinkron sekarang</translation>
    </message>
    <message>
        <source>Open alerts</source>
        <translation>Peringatan terbuka</translation>
    </message>
    <message>
        <source>No open alerts.</source>
        <translation>Tidak ada peringatan terbuka.</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Sudah ditangani</translation>
    </message>
    <message>
        <source>No alert acknowledged in the last 12 hours.</source>
        <translation>Tidak ada peringatan ditangani dalam 12 jam terakhir.</translation>
    </message>
    <message>
        <source>Held batches</source>
        <translation>Batch ditahan</translation>
    </message>
    <message>
        <source>No batch is held.</source>
        <translation>Tidak ada batch ditahan.</translation>
    </message>
    <message>
        <source>Output against target</source>
        <translation>Hasil dibanding target</translation>
    </message>
    <message>
        <source>No work order is running.</source>
        <translation>Tidak ada SPK jalan.</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>No lines in this department.</source>
        <translation>Tidak ada line di bagian ini.</translation>
    </message>
    <message>
        <source>Kanban requests in flight</source>
        <translation>Permintaan kanban berjalan</translation>
    </message>
    <message>
        <source>No kanban request is waiting.</source>
        <translation>Tidak ada permintaan kanban menunggu.</translation>
    </message>
    <message>
        <source>Locked accounts</source>
        <translation>Akun terkunci</translation>
    </message>
    <message>
        <source>No locked accounts.</source>
        <translation>Tidak ada akun terkunci.</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Tangani</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Buka kunci</translation>
    </message>
    <message>
        <source>{line} · {number} · {article} · {good} / {target} good · {status}</source>
        <translation>{line} · {number} · {article} · {good} / {target} bagus · {status}</translation>
    </message>
    <message>
        <source> · paused: {minutes}</source>
        <translation> · jeda: {minutes}</translation>
    </message>
    <message>
        <source>{line} · {number} from {from_line} · {counts}</source>
        <translation>{line} · {number} dari {from_line} · {counts}</translation>
    </message>
    <message>
        <source>Decide</source>
        <translation>Putuskan</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>acknowledged by {name} at {time}</source>
        <translation>ditangani oleh {name} jam {time}</translation>
    </message>
    <message>
        <source>{line} · {card_no} · {quantity} {unit} · {item} · {status} · for {age}</source>
        <translation>{line} · {card_no} · {quantity} {unit} · {item} · {status} · selama {age}</translation>
    </message>
    <message>
        <source>{name} ({employee_no}) locked out by wrong PINs at {line}</source>
        <translation>{name} ({employee_no}) terkunci karena PIN salah di {line}</translation>
    </message>
    <message>
        <source>{line}: {count} wrong PINs, the PIN pad waits (last on {name}&apos;s tile)</source>
        <translation>{line}: {count} PIN salah, tombol PIN menunggu (terakhir di nama {name})</translation>
    </message>
    <message>
        <source>{line}: {number} held, {counts}</source>
        <translation>{line}: {number} ditahan, {counts}</translation>
    </message>
    <message>
        <source>{line} blocked a handoff from {from_line}: it holds {number}</source>
        <translation>{line} menahan serah terima dari {from_line}: masih berisi {number}</translation>
    </message>
    <message>
        <source>{line}: a forged or foreign slip was scanned by {name}</source>
        <translation>{line}: slip palsu atau dari luar di-scan oleh {name}</translation>
    </message>
    <message>
        <source>{where}: the server refused {count} {kind} event(s): {reason}</source>
        <translation>{where}: server menolak {count} kejadian {kind}: {reason}</translation>
    </message>
    <message>
        <source>{where}: the kiosk was restored from a backup; its events {first}–{last} are only on the server</source>
        <translation>{where}: kiosk dipulihkan dari backup; kejadian {first}–{last} hanya ada di server</translation>
    </message>
    <message>
        <source>{where}: the kiosk&apos;s clock is {hours} h off</source>
        <translation>{where}: jam kiosk selisih {hours} jam</translation>
    </message>
    <message>
        <source>{count} wrong enrolment codes from {address}: no enrolment from it until {until}</source>
        <translation>{count} kode pendaftaran salah dari {address}: tidak ada pendaftaran darinya sampai {until}</translation>
    </message>
    <message>
        <source>{line}: disputed handoff {slip} of {number} ({why}) - check the batch</source>
        <translation>{line}: serah terima {slip} dari {number} bermasalah ({why}) - periksa batch-nya</translation>
    </message>
    <message>
        <source>its slip was counted twice</source>
        <translation>slipnya dihitung dua kali</translation>
    </message>
    <message>
        <source>the line held another batch</source>
        <translation>line masih berisi batch lain</translation>
    </message>
</context>
<context>
    <name>TextKeys</name>
    <message>
        <source>Clear</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Delete last character</source>
        <translation>Hapus huruf terakhir</translation>
    </message>
</context>
<context>
    <name>WorkOrderFlow</name>
    <message>
        <source>Complete {number}?</source>
        <translation>Selesaikan {number}?</translation>
    </message>
    <message>
        <source>Only {good} of {target} good pieces are recorded.</source>
        <translation>Baru {good} dari {target} pcs bagus yang dicatat.</translation>
    </message>
    <message>
        <source>No, go back</source>
        <translation>Tidak, kembali</translation>
    </message>
    <message>
        <source>Yes, complete it</source>
        <translation>Ya, selesaikan</translation>
    </message>
    <message>
        <source>{number} started.</source>
        <translation>{number} dimulai.</translation>
    </message>
    <message>
        <source>{number} paused.</source>
        <translation>{number} dijeda.</translation>
    </message>
    <message>
        <source>{number} running again.</source>
        <translation>{number} jalan lagi.</translation>
    </message>
    <message>
        <source>{number} completed.</source>
        <translation>{number} selesai.</translation>
    </message>
    <message>
        <source>{running} is running on this line. Start {number} as well?</source>
        <translation>{running} sedang jalan di line ini. Mulai {number} juga?</translation>
    </message>
    <message>
        <source>{running} is running on this line. Resume {number} as well?</source>
        <translation>{running} sedang jalan di line ini. Lanjutkan {number} juga?</translation>
    </message>
    <message>
        <source>Both then count as running here. To switch, pause {running} first.</source>
        <translation>Keduanya dihitung jalan di sini. Untuk ganti, jeda {running} dulu.</translation>
    </message>
    <message>
        <source>Yes, both run</source>
        <translation>Ya, jalankan keduanya</translation>
    </message>
    <message>
        <source>Recorded {good} good and {reject} reject on {number}.</source>
        <translation>Tercatat {good} bagus dan {reject} reject di {number}.</translation>
    </message>
    <message>
        <source>You were recording {good} good and {reject} reject for {number}.</source>
        <translation>Anda sedang mencatat {good} bagus dan {reject} reject untuk {number}.</translation>
    </message>
    <message>
        <source>Continue where you left off?</source>
        <translation>Lanjutkan yang tadi?</translation>
    </message>
    <message>
        <source>Discard it</source>
        <translation>Buang</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Lanjutkan</translation>
    </message>
    <message>
        <source>{number} can no longer take quantities: it is {status}.</source>
        <translation>{number} tidak bisa dicatat lagi: sudah {status}.</translation>
    </message>
    <message>
        <source>The quantity you had typed was not recorded.</source>
        <translation>Jumlah yang tadi diketik tidak dicatat.</translation>
    </message>
</context>
<context>
    <name>WorkOrderScreen</name>
    <message>
        <source>Good</source>
        <translation>Bagus</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>Still open</source>
        <translation>Sisa</translation>
    </message>
    <message>
        <source>✎  Recent entries: correct or void</source>
        <translation>✎  Catatan: koreksi atau batal</translation>
    </message>
    <message>
        <source>▶  Start</source>
        <translation>▶  Mulai</translation>
    </message>
    <message>
        <source>✚  Record quantity</source>
        <translation>✚  Catat jumlah</translation>
    </message>
    <message>
        <source>❚❚  Pause</source>
        <translation>❚❚  Jeda</translation>
    </message>
    <message>
        <source>▶  Resume</source>
        <translation>▶  Lanjut</translation>
    </message>
    <message>
        <source>✔  Complete</source>
        <translation>✔  Selesai</translation>
    </message>
    <message>
        <source>◀  Back to the list</source>
        <translation>◀  Daftar SPK</translation>
    </message>
    <message>
        <source>⇢  Hand over (QT-09)</source>
        <translation>⇢  Serahkan QT-09</translation>
    </message>
    <message>
        <source>Paused: {minutes}</source>
        <translation>Dijeda: {minutes}</translation>
    </message>
    <message>
        <source>To {destination} · {mo} · route {route}</source>
        <translation>Ke {destination} · {mo} · rute {route}</translation>
    </message>
    <message>
        <source>%p % of target</source>
        <translation>%p % dari target</translation>
    </message>
</context>
<context>
    <name>WorkOrdersFlow</name>
    <message>
        <source>{name}: type your PIN to open the work orders</source>
        <translation>{name}: ketik PIN untuk membuka daftar SPK</translation>
    </message>
    <message>
        <source>{good} of {target} pieces</source>
        <translation>{good}/{target} pcs</translation>
    </message>
    <message>
        <source>due {day}</source>
        <translation>batas {day}</translation>
    </message>
    <message>
        <source>{name}: type your PIN to create work order {number}</source>
        <translation>{name}: ketik PIN untuk membuat SPK {number}</translation>
    </message>
    <message>
        <source>Work order {number} was created: its line gets it with the next sync.</source>
        <translation>SPK {number} dibuat: line-nya menerima SPK ini saat sinkron berikutnya.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to change work order {number}</source>
        <translation>{name}: ketik PIN untuk mengubah SPK {number}</translation>
    </message>
    <message>
        <source>Work order {number} was changed.</source>
        <translation>SPK {number} sudah diubah.</translation>
    </message>
    <message>
        <source>The server refused this: nothing was changed.</source>
        <translation>Server menolak: tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Correct the fields marked in red and save again.</source>
        <translation>Perbaiki kolom yang merah lalu simpan lagi.</translation>
    </message>
    <message>
        <source>{name}: type your PIN to cancel work order {number}</source>
        <translation>{name}: ketik PIN untuk membatalkan SPK {number}</translation>
    </message>
    <message>
        <source>Work order {number} was cancelled: it leaves its line&apos;s list.</source>
        <translation>SPK {number} dibatalkan: keluar dari daftar line-nya.</translation>
    </message>
    <message>
        <source>Cancel work order {number}?</source>
        <translation>Batalkan SPK {number}?</translation>
    </message>
    <message>
        <source>It leaves its line&apos;s list at the next sync; its history stays.</source>
        <translation>SPK ini keluar dari daftar line saat sinkron berikutnya; riwayatnya tetap ada.</translation>
    </message>
    <message>
        <source>No, keep it</source>
        <translation>Tidak, simpan</translation>
    </message>
    <message>
        <source>Cancel it</source>
        <translation>Batalkan</translation>
    </message>
</context>
<context>
    <name>WorkOrdersScreen</name>
    <message>
        <source>Work orders</source>
        <translation>SPK</translation>
    </message>
    <message>
        <source>New work order</source>
        <translation>SPK baru</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Cari</translation>
    </message>
    <message>
        <source>No work order found.</source>
        <translation>SPK tidak ditemukan.</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Sebelumnya</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Berikutnya</translation>
    </message>
    <message>
        <source>Page {n}</source>
        <translation>Halaman {n}</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nomor</translation>
    </message>
    <message>
        <source>MO number</source>
        <translation>Nomor MO</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Barang</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Tujuan</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Rute</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Batas waktu</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>TTTT-BB-HH</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>Cancel the work order</source>
        <translation>Batalkan SPK</translation>
    </message>
    <message>
        <source>Work order {number}</source>
        <translation>SPK {number}</translation>
    </message>
</context>
</TS>
