"""Document rendering: certificate PDFs and xlsx templates/readers; plain values in, bytes out."""
