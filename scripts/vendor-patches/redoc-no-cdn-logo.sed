# ReDoc draws "API docs by Redocly" with a logo it loads from cdn.redoc.ly: offline that is a
# failed request (and a Content-Security-Policy violation) on every visit to /redoc. The logo
# becomes an empty inline SVG; the text and the link stay.
s|https://cdn\.redoc\.ly/redoc/logo-mini\.svg|data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E|g
