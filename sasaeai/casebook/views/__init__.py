"""Pages of the casebook: ``public`` (search, case pages, photos, the yearly PDF, open data)
and ``staff`` (the working list, writing, consent, publication, photos, Excel)."""
