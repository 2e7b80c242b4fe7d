"""The roster import: read and check a workbook (`reading`), work out and apply what each row
changes (`roster`, its result in `outcome`), and keep the upload between the preview and the
confirmation (`pending`).
"""
