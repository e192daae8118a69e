"""The service desk's e-mail channel: inbound mail (SMTP/LMTP endpoint, IMAP polling), stored
raw first and read after; threading, loop and bounce detection; outbound replies and
acknowledgements through Django's mail backend."""
