"""Verificador independiente del registro publicado (``vmre verificar``, §14.5).

Solo usa la biblioteca: un auditor instala ``vmre_crypto`` y nada más.
"""
