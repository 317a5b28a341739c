"""错时共享停车: lots and their import, opening schedules, nearest-lot search, the operators' API."""
