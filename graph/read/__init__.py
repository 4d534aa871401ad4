"""Reading files into Documents: plain text, HTML, PDF, DOCX."""
