"""Vectores de una elección completa, generados con semilla fija y comprobados por ``ingenua.py``.

``generar_vectores_eleccion.py`` corre con la biblioteca una ceremonia (n = 3, k = 2), tres
credenciales, cuatro boletas depositadas y una desafiada, el escrutinio y el descifrado por
el cuórum U = (1, 3) anunciado de antemano (cada M_i = A^(w_i·P(i)) ya ponderado); guarda cada
mensaje como lo escribe ``serializar``.  Aquí:

- el archivo guardado (escrito en otro proceso) coincide byte a byte con una regeneración:
  la generación es determinista;
- la implementación ingenua (sin código compartido) recalcula o verifica, desde el JSON
  solo, cada hash, prueba, compartición, cifrado, código, firma, apertura, el escrutinio y
  el descifrado;
- la biblioteca vuelve a leer cada mensaje y lo acepta; con los mensajes guardados de las dos
  rondas de descifrado, el combinador reproduce los retos y el resultado publicados;
- alterar un campo (una respuesta de prueba, un cifrado, un hash de contienda, un byte del
  código de confirmación, un conteo, un M_i, una respuesta parcial, un byte de C2, un
  compromiso, …) hace fallar la
  comprobación ingenua correspondiente —y solo esa— Y hace que la biblioteca rechace el
  mensaje alterado.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import generar_vectores_eleccion as gen
import ingenua
import pytest

from vmre_crypto import (
    GRUPO_ESTANDAR,
    AperturaBoleta,
    BoletaCifrada,
    CombinadorDescifrado,
    ComparticionCifrada,
    CompromisosCustodio,
    ConfiguracionEleccion,
    ConfirmacionComparticiones,
    ConfirmacionRegistro,
    ContextoEleccion,
    Custodio,
    DescifradoParcial,
    DescifradorCustodio,
    ErrorVMRE,
    EscrutinioCifrado,
    EstadoCustodio,
    LlaveCustodio,
    Manifiesto,
    Motivo,
    Queja,
    RegistroLlaves,
    RespuestaDescifrado,
    ResultadoDescifrado,
    RetosDescifrado,
    abrir_boleta,
    acumular,
    construir_registro,
    desde_json,
    deserializar,
    hash_lista_credenciales,
    serializar,
    verificar_boleta,
    verificar_compromisos,
    verificar_resultado,
)

_G = GRUPO_ESTANDAR
_P, _Q, _GEN = int(_G.p), int(_G.q), int(_G.g)


# -- fixtures -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def vectores() -> dict:
    return gen.generar()


@pytest.fixture(scope="module")
def guardados() -> dict:
    return json.loads(gen.ARCHIVO.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ctx(guardados: dict) -> dict:
    return ingenua.contexto(guardados)


@pytest.fixture(scope="module")
def comprobaciones(guardados: dict) -> dict[str, bool]:
    """Todas las comprobaciones ingenuas sobre el archivo guardado (se calculan una vez)."""
    return ingenua.comprobar_eleccion(guardados)


@dataclass(frozen=True)
class Biblioteca:
    configuracion: ConfiguracionEleccion
    registro: RegistroLlaves
    contexto: ContextoEleccion


def _des(documento: Any, clase: type) -> Any:
    """Lee con la biblioteca un mensaje guardado (con ``version`` y ``tipo``)."""
    return deserializar(json.dumps(documento, ensure_ascii=False), clase, _G)


@pytest.fixture(scope="module")
def bib(guardados: dict) -> Biblioteca:
    """Configuración y contexto reconstruidos por la biblioteca solo desde el JSON."""
    manifiesto = desde_json(Manifiesto, json.loads(guardados["manifiesto_canonico"]), None)
    cfg = guardados["configuracion"]
    configuracion = ConfiguracionEleccion(cfg["custodios"], cfg["cuorum"], cfg["fecha"], cfg["info"], manifiesto)
    registro = _des(guardados["ceremonia"]["registro"], RegistroLlaves)
    return Biblioteca(configuracion, registro, ContextoEleccion.crear(configuracion, registro.llave_conjunta))


def _fallas(resultado: dict[str, bool]) -> set[str]:
    return {nombre for nombre, ok in resultado.items() if not ok}


def _q_mas_uno(x: str) -> str:
    return format((int(x, 16) + 1) % _Q, "X").rjust(64, "0")


def _por_g(x: str) -> str:
    """Otro elemento del subgrupo: x·g mod p."""
    return format(int(x, 16) * _GEN % _P, "X").rjust(1024, "0")


def _fuera_del_subgrupo(x: str) -> str:
    """p − x = −x: está en 1..p−1 pero no en el subgrupo de orden q (q es impar)."""
    return format(_P - int(x, 16), "X").rjust(1024, "0")


def _voltear_byte(x: str, posicion: int = 0) -> str:
    datos = bytearray(bytes.fromhex(x))
    datos[posicion] ^= 0x01
    return datos.hex().upper()


def _error(funcion: Callable[[], object]) -> ErrorVMRE:
    with pytest.raises(ErrorVMRE) as info:
        funcion()
    return info.value


def _motivo(funcion: Callable[[], object]) -> Motivo:
    return _error(funcion).motivo


# -- archivo guardado, determinismo y contenido ------------------------------------------
def test_archivo_guardado_coincide_con_la_regeneracion(vectores: dict, guardados: dict) -> None:
    assert gen.serializar_vectores(vectores) == gen.ARCHIVO.read_text(encoding="utf-8")
    assert guardados == vectores


def test_contenido_de_los_vectores(guardados: dict) -> None:
    v = guardados
    assert v["configuracion"] == {"custodios": 3, "cuorum": 2, "fecha": "2027-06-06", "info": "Vectores de prueba vmre"}
    ceremonia = v["ceremonia"]
    assert [m["tipo"] for m in ceremonia["compromisos"]] == ["compromisos_custodio"] * 3
    assert sorted((m["emisor"], m["receptor"]) for m in ceremonia["comparticiones"]) == [
        (1, 2),
        (1, 3),
        (2, 1),
        (2, 3),
        (3, 1),
        (3, 2),
    ]
    assert ceremonia["registro"]["tipo"] == "registro_llaves"
    assert all(len(s["coeficientes"]) == 2 for s in v["secretos_custodios"])
    assert len(v["credenciales"]) == 4
    # Una boleta depositada por credencial (V-C4); la desafiada usa la credencial de la 2.
    assert sorted(b["credencial"] for b in v["boletas_depositadas"]) == [0, 1, 2, 3]
    assert v["boleta_desafiada"]["credencial"] == 1
    depositadas = v["boletas_depositadas"]
    assert len(depositadas) == 4
    assert {b["estilo"] for b in depositadas} == {"CHIH", "JAL", "ZAC"}
    assert any(len(b["marcas"].get("4", [])) == 2 for b in depositadas)
    assert any(marcas == [] for b in depositadas for marcas in b["marcas"].values())
    assert v["boleta_desafiada"]["apertura"]["tipo"] == "apertura_boleta"
    assert v["boleta_desafiada"]["boleta"]["id_boleta"] not in {b["boleta"]["id_boleta"] for b in depositadas}
    assert v["descifrado"]["presentes"] == [1, 3] == v["descifrado"]["resultado"]["cuorum"]
    # U se anuncia antes de la ronda 1: cada parcial lo lleva.
    assert [(m["custodio"], m["cuorum"]) for m in v["descifrado"]["parciales"]] == [(1, [1, 3]), (3, [1, 3])]
    assert all(d["version"] == "vmre-1.0" for d in [v["escrutinio"], v["descifrado"]["resultado"]])
    assert sum(map(sum, v["conteos_esperados"].values())) == 6  # 1 + 1 + 2 + 1 + 1 marcas
    # Todo ElementoP en 1024 dígitos hexadecimales, todo ElementoQ en 64 (forma de serializar).
    assert all(len(x) == 1024 for x in ceremonia["registro"]["llaves_verificacion"])
    assert all(len(a) == 64 for s in v["secretos_custodios"] for a in s["coeficientes"])


# -- reverificación ingenua de punta a punta --------------------------------------------
def test_todas_las_comprobaciones_ingenuas_pasan(comprobaciones: dict[str, bool]) -> None:
    assert _fallas(comprobaciones) == set()


@pytest.mark.parametrize(
    ("prefijo", "minimo"),
    [
        ("compromisos/", 3 * 2 + 3 * 2),  # 6 pruebas de Schnorr, forma y coeficientes
        ("comparticion/", 6 * 3),  # MAC, valor y Feldman de cada compartición
        ("registro/", 6),
        ("credencial", 4 + 3),
        ("boletas/", 4),
        ("depositada/", 4 * 3),
        ("desafiada/apertura", 1),
        ("escrutinio/", 3),
        ("descifrado/", 33 * 10),
    ],
)
def test_la_cobertura_ingenua_no_es_trivial(comprobaciones: dict[str, bool], prefijo: str, minimo: int) -> None:
    assert sum(1 for nombre in comprobaciones if nombre.startswith(prefijo)) >= minimo


def test_cada_seleccion_tiene_cifrado_nonce_y_rango_comprobados(guardados: dict, comprobaciones: dict) -> None:
    selecciones = 0
    for nombre, registro in ingenua.boletas(guardados):
        for cb in registro["boleta"]["contiendas"]:
            c = cb["indice"]
            assert comprobaciones[f"{nombre}/c{c}/limite"] and comprobaciones[f"{nombre}/c{c}/hash"]
            for o in range(1, len(cb["selecciones"]) + 1):
                for que in ("nonce", "cifrado", "rango"):
                    assert comprobaciones[f"{nombre}/c{c}/o{o}/{que}"]
                selecciones += 1
        assert comprobaciones[f"{nombre}/codigo"] and comprobaciones[f"{nombre}/firma"]
    assert selecciones == 10 + 13 + 10 + 13 + 13


# -- la biblioteca relee y acepta cada mensaje guardado --------------------------------------
_CLASES = {
    "compromisos_custodio": CompromisosCustodio,
    "comparticion_cifrada": ComparticionCifrada,
    "confirmacion_comparticiones": ConfirmacionComparticiones,
    "registro_llaves": RegistroLlaves,
    "confirmacion_registro": ConfirmacionRegistro,
    "boleta_cifrada": BoletaCifrada,
    "apertura_boleta": AperturaBoleta,
    "escrutinio_cifrado": EscrutinioCifrado,
    "descifrado_parcial": DescifradoParcial,
    "retos_descifrado": RetosDescifrado,
    "respuesta_descifrado": RespuestaDescifrado,
    "resultado_descifrado": ResultadoDescifrado,
}


def _documentos(valor: Any) -> list[dict]:
    """Todos los mensajes de nivel superior (los que llevan ``tipo``) del JSON."""
    if isinstance(valor, dict):
        if "tipo" in valor and "version" in valor:
            return [valor]
        return [d for x in valor.values() for d in _documentos(x)]
    if isinstance(valor, list):
        return [d for x in valor for d in _documentos(x)]
    return []


def test_cada_mensaje_se_relee_y_se_reserializa_igual(guardados: dict) -> None:
    documentos = _documentos(guardados)
    assert len(documentos) == 3 + 6 + 3 + 1 + 3 + 5 + 1 + 1 + 2 + 1 + 2 + 1
    for documento in documentos:
        mensaje = _des(documento, _CLASES[documento["tipo"]])
        assert json.loads(serializar(mensaje)) == documento


def test_la_biblioteca_acepta_la_ceremonia(guardados: dict, bib: Biblioteca) -> None:
    mensajes = [_des(m, CompromisosCustodio) for m in guardados["ceremonia"]["compromisos"]]
    for mensaje in mensajes:
        verificar_compromisos(bib.configuracion, mensaje)
    assert construir_registro(bib.configuracion, mensajes) == bib.registro
    assert bib.contexto.h_e == bib.registro.h_e == bytes.fromhex(guardados["h_e"])
    assert bib.configuracion.h_m == bytes.fromhex(guardados["h_m"])
    assert bib.configuracion.h_b == bytes.fromhex(guardados["h_b"])
    publicas = [_G.p_elemento(int(c["publica"], 16)) for c in guardados["credenciales"]]
    assert hash_lista_credenciales(bib.contexto.h_p, publicas).hex().upper() == guardados["hash_lista_credenciales"]


def _receptor(guardados: dict, bib: Biblioteca, ell: int, compromisos: list[dict]) -> tuple[Custodio, tuple]:
    """El custodio ℓ reconstruido desde sus coeficientes guardados, tras recibir ``compromisos``.

    Publica sus propios compromisos de nuevo (mismos K_ℓj; las pruebas de Schnorr usan azar
    nuevo) y recibe los de los demás tal como están en ``compromisos``.
    """
    secreto = next(s for s in guardados["secretos_custodios"] if s["custodio"] == ell)
    nombre = next(m["nombre"] for m in guardados["ceremonia"]["compromisos"] if m["custodio"] == ell)
    coeficientes = tuple(_G.q_elemento(int(a, 16)) for a in secreto["coeficientes"])
    custodio = Custodio(bib.configuracion, EstadoCustodio(ell, nombre, coeficientes))
    propio = custodio.publicar_compromisos()
    mensajes = [_des(m, CompromisosCustodio) for m in compromisos]
    assert propio.compromisos == next(m for m in mensajes if m.custodio == ell).compromisos
    quejas = custodio.recibir_compromisos([propio, *(m for m in mensajes if m.custodio != ell)])
    return custodio, quejas


def _comparticiones_para(guardados: dict, ell: int) -> list[ComparticionCifrada]:
    return [_des(m, ComparticionCifrada) for m in guardados["ceremonia"]["comparticiones"] if m["receptor"] == ell]


@pytest.mark.parametrize("ell", [1, 2, 3])
def test_cada_custodio_descifra_y_confirma_sus_comparticiones(guardados: dict, bib: Biblioteca, ell: int) -> None:
    custodio, quejas = _receptor(guardados, bib, ell, guardados["ceremonia"]["compromisos"])
    assert quejas == ()
    confirmacion = custodio.recibir_comparticiones(_comparticiones_para(guardados, ell))
    esperada = next(m for m in guardados["ceremonia"]["confirmaciones_comparticiones"] if m["receptor"] == ell)
    assert confirmacion == _des(esperada, ConfirmacionComparticiones)


def test_la_biblioteca_acepta_boletas_escrutinio_y_resultado(guardados: dict, bib: Biblioteca) -> None:
    contexto = bib.contexto
    depositadas = [_des(b["boleta"], BoletaCifrada) for b in guardados["boletas_depositadas"]]
    for boleta in depositadas:
        verificar_boleta(contexto, boleta)
    desafiada = guardados["boleta_desafiada"]
    boleta_desafiada = _des(desafiada["boleta"], BoletaCifrada)
    verificar_boleta(contexto, boleta_desafiada)
    abiertas = abrir_boleta(contexto, boleta_desafiada, _des(desafiada["apertura"], AperturaBoleta))
    assert {str(c): list(o) for c, o in abiertas.items()} == desafiada["marcas"]
    escrutinio = _des(guardados["escrutinio"], EscrutinioCifrado)
    assert acumular(contexto, depositadas) == escrutinio
    assert acumular(contexto, [*depositadas, boleta_desafiada]) != escrutinio
    assert escrutinio.hash(contexto).hex().upper() == guardados["hash_escrutinio"]
    resultado = _des(guardados["descifrado"]["resultado"], ResultadoDescifrado)
    verificar_resultado(contexto, escrutinio, resultado)
    assert {str(c): [t for _, t in sorted(o.items())] for c, o in resultado.conteos().items()} == guardados[
        "conteos_esperados"
    ]


def _recombinar(guardados: dict, bib: Biblioteca, descifrado: dict, respuestas: bool = True) -> CombinadorDescifrado:
    """Un combinador con el cuórum U guardado que recibe los parciales (y, si ``respuestas``, los
    retos se fijan y recibe las respuestas) de ``descifrado``, tal como están en el JSON."""
    escrutinio = _des(guardados["escrutinio"], EscrutinioCifrado)
    combinador = CombinadorDescifrado(bib.contexto, bib.registro, escrutinio, descifrado["presentes"])
    for m in descifrado["parciales"]:
        combinador.recibir_parcial(_des(m, DescifradoParcial))
    if respuestas:
        combinador.retos()
        for m in descifrado["respuestas"]:
            combinador.recibir_respuesta(_des(m, RespuestaDescifrado))
    return combinador


def test_el_combinador_reproduce_retos_y_resultado(guardados: dict, bib: Biblioteca) -> None:
    """Con los M_i ya ponderados, M = ∏ M_i: los mensajes guardados dan los retos y el resultado."""
    d = guardados["descifrado"]
    combinador = _recombinar(guardados, bib, d)
    assert combinador.retos() == _des(d["retos"], RetosDescifrado)
    assert combinador.resultado() == _des(d["resultado"], ResultadoDescifrado)


# -- alteraciones: falla la comprobación ingenua correspondiente Y la biblioteca rechaza ------
def _seleccion(registro: dict, contienda: int, opcion: int) -> dict:
    cb = next(c for c in registro["boleta"]["contiendas"] if c["indice"] == contienda)
    return cb["selecciones"][opcion - 1]


def _contienda(registro: dict, contienda: int) -> dict:
    return next(c for c in registro["boleta"]["contiendas"] if c["indice"] == contienda)


def _mutar_respuesta_rango(r: dict) -> None:
    prueba = _seleccion(r, 4, 1)["prueba"]
    prueba["respuestas"][0] = _q_mas_uno(prueba["respuestas"][0])


def _mutar_reto_limite(r: dict) -> None:
    prueba = _contienda(r, 4)["prueba_limite"]
    prueba["retos"][2] = _q_mas_uno(prueba["retos"][2])


def _mutar_alfa(r: dict) -> None:
    cifrado = _seleccion(r, 4, 2)["cifrado"]
    cifrado["alfa"] = _por_g(cifrado["alfa"])


def _mutar_beta_fuera(r: dict) -> None:
    cifrado = _seleccion(r, 4, 2)["cifrado"]
    cifrado["beta"] = _fuera_del_subgrupo(cifrado["beta"])


def _mutar_hash_contienda(r: dict) -> None:
    cb = _contienda(r, 4)
    cb["hash_contienda"] = _voltear_byte(cb["hash_contienda"], 5)


def _mutar_codigo(r: dict) -> None:
    r["boleta"]["codigo_confirmacion"] = _voltear_byte(r["boleta"]["codigo_confirmacion"], 31)


def _mutar_firma(r: dict) -> None:
    r["boleta"]["firma"]["respuesta"] = _q_mas_uno(r["boleta"]["firma"]["respuesta"])


_SELECCION_MAL = {"c4/o2/cifrado", "c4/o2/rango", "c4/limite", "c4/hash"}


@pytest.mark.parametrize(
    ("mutar", "contiendas", "fallas", "motivo"),
    [
        (_mutar_respuesta_rango, [4], {"c4/o1/rango"}, Motivo.RANGO_INVALIDA),
        (_mutar_reto_limite, [4], {"c4/limite"}, Motivo.RANGO_INVALIDA),
        (_mutar_alfa, [4], _SELECCION_MAL, Motivo.RANGO_INVALIDA),
        (_mutar_beta_fuera, [4], _SELECCION_MAL, Motivo.NO_ES_MIEMBRO_SUBGRUPO),
        (_mutar_hash_contienda, [4], {"c4/hash", "codigo"}, Motivo.HASH_CONTIENDA_INVALIDO),
        (_mutar_codigo, [], {"codigo", "firma"}, Motivo.CODIGO_CONFIRMACION_INVALIDO),
        (_mutar_firma, [], {"firma"}, Motivo.FIRMA_CREDENCIAL_INVALIDA),
    ],
    ids=[
        "respuesta_rango",
        "reto_limite",
        "cifrado",
        "cifrado_fuera_del_subgrupo",
        "hash_contienda",
        "codigo",
        "firma",
    ],
)
def test_boleta_alterada(
    guardados: dict,
    ctx: dict,
    bib: Biblioteca,
    mutar: Callable[[dict], None],
    contiendas: list[int],
    fallas: set[str],
    motivo: Motivo,
) -> None:
    # La boleta depositada 2 (JAL) marca 2 opciones de la contienda 4 (límite 2).
    original = guardados["boletas_depositadas"][1]
    assert original["marcas"]["4"] == [1, 4]
    alterada = copy.deepcopy(original)
    mutar(alterada)
    assert alterada != original
    # Sin alterar, estas mismas comprobaciones pasan (test_todas_las_comprobaciones_ingenuas_pasan).
    despues = ingenua.comprobar_boleta(guardados, ctx, alterada, "depositada/2", contiendas=contiendas)
    assert _fallas(despues) == {f"depositada/2/{x}" for x in fallas}
    assert _motivo(lambda: verificar_boleta(bib.contexto, _des(alterada["boleta"], BoletaCifrada))) == motivo


def test_apertura_alterada(guardados: dict, ctx: dict, bib: Biblioteca) -> None:
    alterada = copy.deepcopy(guardados["boleta_desafiada"])
    alterada["apertura"]["nonce_boleta"] = _voltear_byte(alterada["apertura"]["nonce_boleta"])
    despues = ingenua.comprobar_boleta(guardados, ctx, alterada, "desafiada", contiendas=[])
    assert _fallas(despues) == {"desafiada/apertura"}
    boleta = _des(alterada["boleta"], BoletaCifrada)
    apertura = _des(alterada["apertura"], AperturaBoleta)
    assert _motivo(lambda: abrir_boleta(bib.contexto, boleta, apertura)) == Motivo.APERTURA_INVALIDA


def _posicion(guardados: dict, contienda: int, opcion: int) -> int:
    opciones = guardados["descifrado"]["resultado"]["opciones"]
    return next(n for n, o in enumerate(opciones) if (o["contienda"], o["opcion"]) == (contienda, opcion))


def _mutar_conteo(o: dict) -> None:
    o["conteo"] += 1


def _mutar_respuesta_descifrado(o: dict) -> None:
    o["prueba"]["respuesta"] = _q_mas_uno(o["prueba"]["respuesta"])


def _mutar_m(o: dict) -> None:
    o["m"] = _por_g(o["m"])


@pytest.mark.parametrize(
    ("mutar", "fallas", "motivo"),
    [
        (_mutar_conteo, {"conteo", "esperado"}, Motivo.DESCIFRADO_INCONSISTENTE),
        (_mutar_respuesta_descifrado, {"respuesta", "prueba"}, Motivo.DESCIFRADO_INVALIDO),
        (_mutar_m, {"m", "reto", "prueba", "conteo", "esperado"}, Motivo.DESCIFRADO_INVALIDO),
    ],
    ids=["conteo", "respuesta_prueba", "m"],
)
def test_resultado_alterado(
    guardados: dict, ctx: dict, bib: Biblioteca, mutar: Callable[[dict], None], fallas: set[str], motivo: Motivo
) -> None:
    # Opción 4 de la contienda 4: un voto.
    posicion = _posicion(guardados, 4, 4)
    alterados = copy.deepcopy(guardados)
    opcion = alterados["descifrado"]["resultado"]["opciones"][posicion]
    assert opcion["conteo"] == 1
    mutar(opcion)
    despues = ingenua.comprobar_descifrado(alterados, ctx, posiciones=[posicion])
    assert _fallas(despues) == {f"descifrado/c4/o4/{x}" for x in fallas}
    escrutinio = _des(guardados["escrutinio"], EscrutinioCifrado)
    resultado = _des(alterados["descifrado"]["resultado"], ResultadoDescifrado)
    assert _motivo(lambda: verificar_resultado(bib.contexto, escrutinio, resultado)) == motivo


def _a_la(x: str, exponente: int) -> str:
    return format(pow(int(x, 16), exponente, _P), "X").rjust(1024, "0")


def _parte_c4_o4(guardados: dict, d: dict, custodio: int) -> dict:
    parcial = next(m for m in d["parciales"] if m["custodio"] == custodio)
    return parcial["partes"][_posicion(guardados, 4, 4)]


def _mutar_respuesta_parcial(guardados: dict, d: dict) -> None:
    respuestas = next(m for m in d["respuestas"] if m["custodio"] == 3)["respuestas"]
    posicion = _posicion(guardados, 4, 4)
    respuestas[posicion] = _q_mas_uno(respuestas[posicion])


def _mutar_m_sin_ponderar(guardados: dict, d: dict) -> None:
    """M_3 = A^(P(3)) como en el protocolo anterior, sin el peso w_3 (≠ 1 para U = (1, 3))."""
    comparticion = next(int(s["comparticion"], 16) for s in guardados["secretos_custodios"] if s["custodio"] == 3)
    alfa = guardados["escrutinio"]["contiendas"][3]["cifrados"][3]["alfa"]
    _parte_c4_o4(guardados, d, 3)["m"] = _a_la(alfa, comparticion)


def _mutar_a_parcial(guardados: dict, d: dict) -> None:
    parte = _parte_c4_o4(guardados, d, 1)
    parte["a"] = _por_g(parte["a"])


def _mutar_cuorum_parcial(guardados: dict, d: dict) -> None:
    next(m for m in d["parciales"] if m["custodio"] == 3)["cuorum"] = [2, 3]


@pytest.mark.parametrize(
    ("mutar", "fallas", "motivo", "custodio"),
    [
        # v_3 cambia: solo V-D2 del custodio 3 y v = Σ v_i; el combinador culpa al custodio 3.
        (
            _mutar_respuesta_parcial,
            {"c4/o4/parcial/3/v_d2", "c4/o4/respuesta"},
            Motivo.DESCIFRADO_INVALIDO,
            3,
        ),
        # a_1 cambia: V-D2 del custodio 1 y el reto (a = ∏ a_i); el combinador calcula otro c.
        (_mutar_a_parcial, {"c4/o4/parcial/1/v_d2", "c4/o4/reto"}, Motivo.DESCIFRADO_INVALIDO, None),
        # M_3 sin ponderar: M_3, V-D2 del custodio 3 y M = ∏ M_i.
        (
            _mutar_m_sin_ponderar,
            {"c4/o4/parcial/3/m", "c4/o4/parcial/3/v_d2", "c4/o4/m"},
            Motivo.DESCIFRADO_INVALIDO,
            None,
        ),
        (_mutar_cuorum_parcial, {"cuorum"}, Motivo.DESCIFRADO_INCONSISTENTE, None),
    ],
    ids=["respuesta_parcial", "compromiso_parcial", "m_sin_ponderar", "cuorum_parcial"],
)
def test_descifrado_parcial_alterado(
    guardados: dict,
    ctx: dict,
    bib: Biblioteca,
    mutar: Callable[[dict, dict], None],
    fallas: set[str],
    motivo: Motivo,
    custodio: int | None,
) -> None:
    posicion = _posicion(guardados, 4, 4)
    alterados = copy.deepcopy(guardados)
    mutar(guardados, alterados["descifrado"])
    assert alterados != guardados
    despues = ingenua.comprobar_descifrado(alterados, ctx, posiciones=[posicion])
    assert _fallas(despues) == {f"descifrado/{x}" for x in fallas}

    def recombinar() -> object:
        return _recombinar(guardados, bib, alterados["descifrado"]).resultado()

    error = _error(recombinar)
    assert error.motivo == motivo
    if custodio is not None:
        assert error.detalles["custodio"] == custodio
    if fallas & {"c4/o4/m", "c4/o4/reto"}:
        # El combinador recalcula M = ∏ M_i y a = ∏ a_i: el reto de esa opción, y solo ese,
        # deja de ser el guardado (las respuestas guardadas ya no lo contestan; quién resulta
        # culpable con respuestas repetidas no dice nada: lo prueba el caso en vivo de abajo).
        guardados_retos = _des(guardados["descifrado"]["retos"], RetosDescifrado).retos
        nuevos = _recombinar(guardados, bib, alterados["descifrado"], respuestas=False).retos().retos
        assert [n for n, (x, y) in enumerate(zip(guardados_retos, nuevos, strict=True)) if x != y] == [posicion]


def test_custodio_sin_ponderar_es_culpado(guardados: dict, bib: Biblioteca) -> None:
    """Un custodio 3 que ignora su peso (M_3 = A^(P(3)), v_3 = u_3 − c·P(3)) falla V-D2 contra
    K̂_3^(w_3) y el combinador lo nombra; el custodio 1 honesto (compartición guardada) pasa."""
    cuorum = (1, 3)
    pesos = ingenua.pesos_lagrange(list(cuorum))
    secretos = {s["custodio"]: int(s["comparticion"], 16) for s in guardados["secretos_custodios"]}
    escrutinio = _des(guardados["escrutinio"], EscrutinioCifrado)
    llaves = {
        1: LlaveCustodio(1, _G.q_elemento(secretos[1])),
        # El descifrador multiplica por w_3: con P(3)/w_3 su exponente queda en P(3), sin peso.
        3: LlaveCustodio(3, _G.q_elemento(secretos[3] * pow(pesos[3], -1, _Q) % _Q)),
    }
    assert pesos[3] != 1
    combinador = CombinadorDescifrado(bib.contexto, bib.registro, escrutinio, cuorum)
    descifradores = [DescifradorCustodio(bib.contexto, llaves[i]) for i in cuorum]
    for d in descifradores:
        combinador.recibir_parcial(d.descifrado_parcial(escrutinio, cuorum))
    retos = combinador.retos()
    for d in descifradores:
        combinador.recibir_respuesta(d.responder(retos))
    error = _error(combinador.resultado)
    assert (error.motivo, error.detalles["custodio"]) == (Motivo.DESCIFRADO_INVALIDO, 3)


def test_escrutinio_alterado(guardados: dict, ctx: dict, bib: Biblioteca) -> None:
    alterados = copy.deepcopy(guardados)
    cifrado = alterados["escrutinio"]["contiendas"][3]["cifrados"][0]
    cifrado["alfa"] = _por_g(cifrado["alfa"])
    assert _fallas(ingenua.comprobar_escrutinio(alterados, ctx)) == {"escrutinio/producto"}
    escrutinio = _des(alterados["escrutinio"], EscrutinioCifrado)
    depositadas = [_des(b["boleta"], BoletaCifrada) for b in guardados["boletas_depositadas"]]
    assert acumular(bib.contexto, depositadas) != escrutinio
    resultado = _des(guardados["descifrado"]["resultado"], ResultadoDescifrado)
    assert _motivo(lambda: verificar_resultado(bib.contexto, escrutinio, resultado)) == Motivo.DESCIFRADO_INCONSISTENTE


def test_registro_de_boletas_alterado_lo_rechaza_ingenua(guardados: dict, ctx: dict) -> None:
    """V-C4, V7.C y V12.C son del registro (la biblioteca no tiene motivo para ellas, §11.4):
    solo las comprueba el verificador.  Repetir una boleta depositada o depositar la desafiada
    las viola."""
    repetida = copy.deepcopy(guardados)
    repetida["boletas_depositadas"].append(copy.deepcopy(guardados["boletas_depositadas"][0]))
    assert _fallas(ingenua.comprobar_credenciales(repetida, ctx)) == {
        "credenciales/una_por_elector",
        "boletas/id_unicos",
        "boletas/codigos_unicos",
    }
    contada = copy.deepcopy(guardados)
    contada["boletas_depositadas"].append(copy.deepcopy(guardados["boleta_desafiada"]))
    assert _fallas(ingenua.comprobar_credenciales(contada, ctx)) == {
        "credenciales/una_por_elector",
        "boletas/id_unicos",
        "boletas/codigos_unicos",
        "boletas/desafiada_no_depositada",
    }
    # Y la desafiada cambiaría el escrutinio: V8 la excluye.
    assert _fallas(ingenua.comprobar_escrutinio(contada, ctx)) == {
        "escrutinio/producto",
        "escrutinio/boletas",
        "escrutinio/hash",
    }


@pytest.mark.parametrize("campo", ["c1", "c2"])
def test_comparticion_alterada(guardados: dict, bib: Biblioteca, campo: str) -> None:
    """Un byte de C1 o C2 de la compartición 1→2: falla el MAC y el custodio 2 se queja de 1."""
    alterados = copy.deepcopy(guardados)
    mensaje = next(m for m in alterados["ceremonia"]["comparticiones"] if (m["emisor"], m["receptor"]) == (1, 2))
    mensaje[campo] = _voltear_byte(mensaje[campo], 7)
    fallas = _fallas(ingenua.comprobar_ceremonia(alterados, ingenua.contexto(alterados)))
    assert fallas == {"comparticion/1->2/mac", "comparticion/1->2/valor", "comparticion/1->2/feldman"}
    custodio, quejas = _receptor(guardados, bib, 2, guardados["ceremonia"]["compromisos"])
    assert quejas == ()
    resultado = custodio.recibir_comparticiones(_comparticiones_para(alterados, 2))
    assert resultado == (Queja(2, 1, Motivo.COMPARTICION_MAC_INVALIDA.value),)


def test_compromiso_alterado(guardados: dict, bib: Biblioteca) -> None:
    """K_11 (coeficiente de grado 1 del custodio 1) cambiado por otro elemento del subgrupo."""
    alterados = copy.deepcopy(guardados)
    mensaje = alterados["ceremonia"]["compromisos"][0]
    assert mensaje["custodio"] == 1
    mensaje["compromisos"][1] = _por_g(mensaje["compromisos"][1])
    fallas = _fallas(ingenua.comprobar_ceremonia(alterados, ingenua.contexto(alterados)))
    # La prueba de Schnorr de K_11 y todo lo que depende de K_11: Feldman de las comparticiones
    # del custodio 1, las llaves de verificación, el registro y su hash.  K_10 no cambia, así
    # que K, H_E y las demás pruebas siguen valiendo.
    assert fallas == {
        "compromisos/1/schnorr/1",
        "compromisos/1/coeficientes",
        "comparticion/1->2/feldman",
        "comparticion/1->3/feldman",
        "verificacion/1/secreto",
        "verificacion/2/secreto",
        "verificacion/3/secreto",
        "registro/compromisos",
        "registro/llaves_verificacion",
        "registro/hash_registro",
        "confirmacion_registro/1",
        "confirmacion_registro/2",
        "confirmacion_registro/3",
    }
    alterado = _des(mensaje, CompromisosCustodio)
    assert _motivo(lambda: verificar_compromisos(bib.configuracion, alterado)) == Motivo.SCHNORR_INVALIDA
    _, quejas = _receptor(guardados, bib, 2, alterados["ceremonia"]["compromisos"])
    assert quejas == (Queja(2, 1, Motivo.SCHNORR_INVALIDA.value),)
    otros = [_des(m, CompromisosCustodio) for m in guardados["ceremonia"]["compromisos"][1:]]
    assert construir_registro(bib.configuracion, [alterado, *otros]) != bib.registro


def test_hash_registro_alterado(guardados: dict, bib: Biblioteca) -> None:
    alterados = copy.deepcopy(guardados)
    registro = alterados["ceremonia"]["registro"]
    registro["hash_registro"] = _voltear_byte(registro["hash_registro"], 0)
    fallas = _fallas(ingenua.comprobar_ceremonia(alterados, ingenua.contexto(alterados)))
    assert fallas == {"registro/hash_registro"}
    mensajes = [_des(m, CompromisosCustodio) for m in guardados["ceremonia"]["compromisos"]]
    assert construir_registro(bib.configuracion, mensajes) != _des(registro, RegistroLlaves)
