"""Clientes que corren fuera del servidor (autoridad de credenciales)."""
