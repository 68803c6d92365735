"""Files for download that several apps write: spreadsheets (CSV, XLSX) safe to open."""
