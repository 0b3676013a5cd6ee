"""What every app may use and that imports no app of the project: client addresses, safe
redirects and ids, rate limits, plain-text normalisation, the site's public address."""
