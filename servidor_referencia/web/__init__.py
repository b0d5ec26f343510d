"""Capa web: fábrica de la aplicación y un blueprint por área (páginas y API ``/api/v1``)."""
