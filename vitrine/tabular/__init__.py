"""One reader for every tabular file a user uploads (CSV and XLSX), for the catalog and figures.

`open_table` in `vitrine.tabular.reader` turns a file into a `Table`: a header and the data as
UTF-8 CSV with the row number a spreadsheet shows, after every check: size, encoding, NUL
bytes, line ends, rows, zip bombs, XML entities. Workbooks are parsed in a child process with
limits on memory and time (`vitrine.tabular.xlsx_child`, which needs nothing but the standard
library; this package's `__init__` imports nothing for that reason).
"""
