"""Rules and state machines of the factory floor; standard library only."""
