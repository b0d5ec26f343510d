"""Pruebas de conocimiento cero no interactivas (Fiat–Shamir) de §6 de la especificación.

Cada prueba tiene ``probar_*`` y ``verificar_*``; la verificación lanza
``ErrorVerificacion`` con un motivo preciso y nunca devuelve un booleano.
"""
