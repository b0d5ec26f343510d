"""Registro público de la elección: tablero encadenado y documentos propios del registro (§14)."""
