"""Pure domain logic: code lists, validation rules and value objects. No I/O beyond package data."""
