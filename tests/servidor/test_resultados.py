"""Resultados públicos (§21.4): página con gráficas SVG hechas en el servidor (sin script ni estilo
en línea), participación por entidad y país, actas de cómputo por entidad en JSON y para imprimir."""

from __future__ import annotations

import re
from typing import Any

from herramientas import crear_personal, entrar_paginas, enviar_formulario
from test_computo import Computo, _esperados, cerrar_y_descifrar, computo  # noqa: F401  (la fijación se usa por nombre)
from test_votacion_fabrica import error

from servidor_referencia.dominio.roles import Rol


def _computar(c: Computo, votantes: list[int]) -> dict[str, Any]:
    for i in votantes:
        c.votar(i)
    return cerrar_y_descifrar(c, (2, 3))


def test_pagina_de_resultados_y_actas(computo: Computo) -> None:  # noqa: F811
    c = computo
    pid = c.e.proceso_id
    # Abierta: ni resultados ni participación ni acta.
    pagina = c.cliente.get(f"/sivei/resultados/{pid}")
    assert pagina.status_code == 200 and 'id="aviso"' in pagina.get_data(as_text=True)
    assert "participacion" not in pagina.get_data(as_text=True)
    r = c.cliente.get(f"/api/v1/sivei/resultados/{pid}/participacion")
    assert r.status_code == 409 and error(r) == "resultados_no_disponibles"
    r = c.cliente.get(f"/api/v1/sivei/computo/{pid}/acta")
    assert r.status_code == 409 and error(r) == "resultados_no_disponibles"

    final = _computar(c, [0, 1, 3, 5])
    datos = c.cliente.get(f"/api/v1/sivei/resultados/{pid}").get_json()
    esperados = _esperados(c, [0, 1, 3, 5])
    assert {x["indice"]: [o["votos"] for o in x["opciones"]] for x in datos["contiendas"]} == esperados
    assert [x["total"] for x in datos["contiendas"]] == [sum(esperados[i]) for i in (1, 2, 3, 4)]
    part = datos["participacion"]
    assert part["electores"] == 6 and part["votos"] == 4
    assert part["por_entidad"] == {
        "08": {"electores": 2, "votos": 2},
        "14": {"electores": 2, "votos": 1},
        "32": {"electores": 2, "votos": 1},
    }

    pagina = c.cliente.get(f"/sivei/resultados/{pid}")
    html = pagina.get_data(as_text=True)
    assert pagina.status_code == 200 and "script-src" in pagina.headers.get("Content-Security-Policy", "")
    assert html.count("<svg") == 4 and "<script" not in html and not re.search(r"\sstyle=", html)
    # La barra más larga es la de la opción con más votos (contienda 3: fórmulas 1 y 3).
    assert 'width="360.0"' in html

    acta = c.cliente.get(f"/api/v1/sivei/computo/{pid}/acta/14").get_json()
    assert [x["indice"] for x in acta["contiendas"]] == [2, 3]
    assert acta["hash_resultado"] == final["hash_resultado"] and acta["h_t"] == final["h_t"]
    assert acta["cuorum"] == [2, 3] and acta["boletas_depositadas"] == 4
    assert acta["acta"]["tipo"] == "acta_computo" and acta["participacion"] == {"electores": 2, "votos": 1}
    tablero = c.tablero()
    assert tablero[-1]["entrada"]["hash_entrada"] == acta["hash_entrada_acta"] == acta["cabeza_final"]
    assert tablero[-2]["entrada"]["hash_entrada"] == acta["cabeza_tablero"]
    r = c.cliente.get(f"/api/v1/sivei/computo/{pid}/acta/99")
    assert r.status_code == 404
    imprimible = c.cliente.get(f"/sivei/computo/{pid}/acta/14").get_data(as_text=True)
    for valor in (acta["h_e"], acta["h_t"], acta["hash_resultado"], acta["cabeza_tablero"]):
        assert valor in imprimible
    assert "Diputación migrante (hasta 2)" in imprimible and "Gubernatura de Chihuahua" not in imprimible
    assert c.cliente.get(f"/sivei/computo/{pid}/acta").status_code == 200


def test_cierre_desde_la_pagina_del_administrador(computo: Computo) -> None:  # noqa: F811
    c = computo
    pid = c.e.proceso_id
    c.votar(0)
    pagina = c.cliente.get(f"/sivei/computo/{pid}").get_data(as_text=True)
    assert "Cerrar la votación" in pagina
    # Un custodio con sesión en las páginas no cierra.
    entrar_paginas(c.cliente, c.custodios[0])
    r = enviar_formulario(c.cliente, f"/sivei/cierre/{pid}", {}, url_get=f"/sivei/computo/{pid}")
    assert r.status_code == 403
    admin = crear_personal(c.app, Rol.ADMINISTRADOR)
    entrar_paginas(c.cliente, admin)
    r = enviar_formulario(c.cliente, f"/sivei/cierre/{pid}", {}, url_get=f"/sivei/computo/{pid}")
    assert r.status_code == 302, r.get_data(as_text=True)
    pagina = c.cliente.get(f"/sivei/computo/{pid}").get_data(as_text=True)
    assert 'id="estado">cerrada' in pagina and c.estado()["h_t"] in pagina
    # Otra vez: el error con su código, en la página.
    r = c.cliente.post(f"/sivei/cierre/{pid}", data={"_csrf": "x"})
    assert r.status_code in (400, 403)
    r = enviar_formulario(c.cliente, f"/sivei/cierre/{pid}", {"x": "1"}, url_get=f"/sivei/computo/{pid}")
    assert r.status_code == 400 and "campo_desconocido" in r.get_data(as_text=True)
    r = enviar_formulario(c.cliente, f"/sivei/cierre/{pid}", {}, url_get=f"/sivei/computo/{pid}")
    assert r.status_code == 409 and "cierre_estado_invalido" in r.get_data(as_text=True)
