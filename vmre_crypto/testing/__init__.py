"""Ayudas para pruebas y ejemplos: estrategias de hypothesis y azar determinista.

Nada de este paquete debe usarse en una elección real.
"""
