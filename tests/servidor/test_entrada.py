"""Lectura estricta de la entrada: las contraseñas se conservan tal como se escriben."""

from __future__ import annotations

import pytest

from servidor_referencia.errores import Codigo, ErrorServidor
from servidor_referencia.web.entrada import CONTRASENA, Campo, validar


def test_texto_comun_se_recorta_pero_la_contrasena_no() -> None:
    datos = validar(
        {"nombre": "  Ana  ", "contrasena": "  frase con espacios  "}, {"nombre": Campo(), "contrasena": CONTRASENA}
    )
    assert datos == {"nombre": "Ana", "contrasena": "  frase con espacios  "}


def test_contrasena_demasiado_larga_se_rechaza_con_su_codigo() -> None:
    with pytest.raises(ErrorServidor) as e:
        validar({"contrasena": "x" * 257}, {"contrasena": CONTRASENA})
    assert e.value.codigo is Codigo.VALOR_INVALIDO and e.value.detalles == {"campo": "contrasena"}
