"""Forma JSON canónica de los mensajes (§10): ida y vuelta exacta y rechazos precisos al decodificar."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import gmpy2
import pytest

from vmre_crypto import (
    VERSION_ESPECIFICACION,
    AperturaBoleta,
    BoletaCifrada,
    CombinadorDescifrado,
    ComparticionCifrada,
    CompromisosCustodio,
    ConfirmacionComparticiones,
    ConfirmacionRegistro,
    DescifradoParcial,
    DescifradorCustodio,
    ErrorDecodificacion,
    EscrutinioCifrado,
    Manifiesto,
    Motivo,
    Queja,
    RegistroLlaves,
    RespuestaDescifrado,
    ResultadoDescifrado,
    RetosDescifrado,
    cifrar_boleta,
    deserializar,
    serializar,
    texto_canonico,
)
from vmre_crypto.descifrado import ParteDescifrado
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR

G = GRUPO_ESTANDAR
P, Q = int(G.p), int(G.q)
HEX_P, HEX_Q = 2 * G.bytes_p, 2 * G.bytes_q

TIPOS = [
    CompromisosCustodio,
    ComparticionCifrada,
    Queja,
    ConfirmacionComparticiones,
    RegistroLlaves,
    ConfirmacionRegistro,
    BoletaCifrada,
    AperturaBoleta,
    EscrutinioCifrado,
    DescifradoParcial,
    RetosDescifrado,
    RespuestaDescifrado,
    ResultadoDescifrado,
    Manifiesto,
]


@pytest.fixture(scope="module")
def mensajes(ceremonia, configuracion, boletas_conocidas, escrutinio) -> dict[type, Any]:
    """Un ejemplar real de cada mensaje, producido por la propia biblioteca."""
    contexto, registro = ceremonia.contexto, ceremonia.registro
    pequeno = EscrutinioCifrado((escrutinio.contiendas[3],))
    cuorum = (1, 3, 5)
    combinador = CombinadorDescifrado(contexto, registro, pequeno, cuorum)
    descifradores = [DescifradorCustodio(contexto, ceremonia.llave(i)) for i in cuorum]
    parciales = [d.descifrado_parcial(pequeno, cuorum) for d in descifradores]
    for parcial in parciales:
        combinador.recibir_parcial(parcial)
    retos = combinador.retos()
    respuestas = [d.responder(retos) for d in descifradores]
    for respuesta in respuestas:
        combinador.recibir_respuesta(respuesta)
    conocida = boletas_conocidas[2]
    return {
        CompromisosCustodio: registro.compromisos[1],
        ComparticionCifrada: ceremonia.custodios[0].comparticiones()[2],
        Queja: Queja(2, 4, Motivo.COMPARTICION_FELDMAN_INVALIDA.value),
        ConfirmacionComparticiones: ConfirmacionComparticiones(3, (1, 2, 4, 5)),
        RegistroLlaves: registro,
        ConfirmacionRegistro: ConfirmacionRegistro(5, registro.hash_registro),
        BoletaCifrada: conocida.boleta,
        AperturaBoleta: conocida.preparada.apertura(),
        EscrutinioCifrado: escrutinio,
        DescifradoParcial: parciales[1],
        RetosDescifrado: retos,
        RespuestaDescifrado: respuestas[2],
        ResultadoDescifrado: combinador.resultado(),
        Manifiesto: configuracion.manifiesto,
    }


def _doc(mensajes: dict[type, Any], clase: type) -> dict[str, Any]:
    return json.loads(serializar(mensajes[clase]))


def _rechazo(documento: Any, clase: type) -> ErrorDecodificacion:
    texto = documento if isinstance(documento, (str, bytes)) else json.dumps(documento)
    with pytest.raises(ErrorDecodificacion) as e:
        deserializar(texto, clase, G)
    return e.value


# -- ida y vuelta ----------------------------------------------------------------------------------
@pytest.mark.parametrize("clase", TIPOS, ids=[c.__name__ for c in TIPOS])
def test_ida_y_vuelta_exacta(mensajes, clase: type) -> None:
    original = mensajes[clase]
    texto = serializar(original)
    recuperado = deserializar(texto, clase, G)
    assert type(recuperado) is clase
    assert recuperado == original
    assert serializar(recuperado) == texto
    # Los bytes también se aceptan (lo que llega por la red).
    assert deserializar(texto.encode("utf-8"), clase, G) == original


@pytest.mark.parametrize("clase", TIPOS, ids=[c.__name__ for c in TIPOS])
def test_texto_canonico(mensajes, clase: type) -> None:
    texto = serializar(mensajes[clase])
    documento = json.loads(texto)
    assert texto == texto_canonico(documento)
    assert texto == json.dumps(documento, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert documento["version"] == VERSION_ESPECIFICACION
    snake = "".join("_" + ch.lower() if ch.isupper() else ch for ch in clase.__name__).lstrip("_")
    assert documento["tipo"] == snake


def test_tipos_conocidos(mensajes) -> None:
    nombres = {json.loads(serializar(m))["tipo"] for m in mensajes.values()}
    assert {
        "boleta_cifrada",
        "registro_llaves",
        "descifrado_parcial",
        "resultado_descifrado",
        "queja",
    } <= nombres


def test_hexadecimal_de_longitud_fija(mensajes) -> None:
    """ElementoP → 2·l_p dígitos y ElementoQ → 2·l_q dígitos, con ceros a la izquierda."""
    uno = G.uno
    cero = G.q_elemento(0)
    parcial = DescifradoParcial(1, b"\x00" * 32, (1, 2, 4), (ParteDescifrado(uno, uno, uno),))
    documento = json.loads(serializar(parcial))
    assert documento["partes"][0]["m"] == "0" * (HEX_P - 1) + "1"
    assert documento["cuorum"] == [1, 2, 4]
    assert documento["hash_escrutinio"] == "00" * 32
    assert deserializar(serializar(parcial), DescifradoParcial, G) == parcial
    respuesta = RespuestaDescifrado(2, b"\xab", (cero, G.q_elemento(Q - 1)))
    documento = json.loads(serializar(respuesta))
    assert documento["respuestas"] == ["0" * HEX_Q, format(Q - 1, "X")]
    assert documento["hash_escrutinio"] == "AB"
    assert deserializar(serializar(respuesta), RespuestaDescifrado, G) == respuesta


def test_mensajes_de_descifrado_llevan_el_cuorum(mensajes) -> None:
    """El cuórum anunciado viaja como lista de enteros en orden creciente en la parte, los retos y el resultado."""
    for clase in (DescifradoParcial, RetosDescifrado, ResultadoDescifrado):
        assert _doc(mensajes, clase)["cuorum"] == [1, 3, 5]
        assert deserializar(serializar(mensajes[clase]), clase, G).cuorum == (1, 3, 5)
    assert list(_doc(mensajes, DescifradoParcial)) == sorted(
        ["custodio", "hash_escrutinio", "cuorum", "partes", "version", "tipo"]
    )


def test_boleta_sin_credencial_usa_null(contexto) -> None:
    boleta = cifrar_boleta(contexto, "CHIH", {1: (3,)}).boleta
    documento = json.loads(serializar(boleta))
    assert documento["credencial"] is None and documento["firma"] is None
    assert deserializar(serializar(boleta), BoletaCifrada, G) == boleta


def test_texto_unicode_sin_escapes(mensajes) -> None:
    texto = serializar(mensajes[Manifiesto])
    assert "Fórmula A" in texto and "\\u" not in texto
    assert deserializar(texto.encode("utf-8"), Manifiesto, None) == mensajes[Manifiesto]


# -- rechazos del documento ------------------------------------------------------------------------
@pytest.mark.parametrize("texto", ["{", "", "[1,", b"\xff\xfe{}", '{"a":1}}'])
def test_json_malformado(texto) -> None:
    error = _rechazo(texto, Queja)
    assert error.motivo is Motivo.FORMATO_INVALIDO


@pytest.mark.parametrize("texto", ["[]", "1", '"queja"', "null"])
def test_documento_no_objeto(texto: str) -> None:
    assert _rechazo(texto, Queja).motivo is Motivo.TIPO_INVALIDO


@pytest.mark.parametrize("version", ["vmre-0.9", "vmre-1.0 ", None, 1, "VMRE-1.0"])
def test_version_equivocada(mensajes, version) -> None:
    documento = _doc(mensajes, Queja)
    documento["version"] = version
    error = _rechazo(documento, Queja)
    assert error.motivo is Motivo.VERSION_NO_SOPORTADA
    assert error.detalles == {"campo": "version"}


def test_version_faltante(mensajes) -> None:
    documento = _doc(mensajes, Queja)
    del documento["version"]
    assert _rechazo(documento, Queja).motivo is Motivo.VERSION_NO_SOPORTADA


def test_tipo_equivocado(mensajes) -> None:
    texto = serializar(mensajes[ConfirmacionRegistro])
    error = _rechazo(texto, Queja)
    assert error.motivo is Motivo.TIPO_INVALIDO
    assert error.detalles == {"campo": "tipo"}
    documento = _doc(mensajes, Queja)
    del documento["tipo"]
    assert _rechazo(documento, Queja).detalles == {"campo": "tipo"}


def _poner(ruta: str, valor: Any) -> Callable[[dict[str, Any]], None]:
    """Mutación que reemplaza el valor en ``ruta`` (sintaxis de los mensajes de error)."""

    def mutar(documento: dict[str, Any]) -> None:
        padre, ultimo = _navegar(documento, ruta)
        padre[ultimo] = valor(padre[ultimo]) if callable(valor) else valor

    return mutar


def _quitar(ruta: str) -> Callable[[dict[str, Any]], None]:
    def mutar(documento: dict[str, Any]) -> None:
        padre, ultimo = _navegar(documento, ruta)
        del padre[ultimo]

    return mutar


def _navegar(documento: Any, ruta: str) -> tuple[Any, Any]:
    pasos: list[Any] = []
    for parte in ruta.split("."):
        nombre, _, resto = parte.partition("[")
        pasos.append(nombre)
        for indice in resto.rstrip("]").split("][") if resto else []:
            pasos.append(int(indice))
    actual = documento
    for paso in pasos[:-1]:
        actual = actual[paso]
    return actual, pasos[-1]


def _en_minusculas(x: str) -> str:
    """Hexadecimal con al menos una letra minúscula (y mismo largo)."""
    return x.lower() if x != x.lower() else "a" + x[1:]


def _p_menos(x: str) -> str:
    return format(P - int(x, 16), "X").rjust(HEX_P, "0")


def _residuo_fuera_del_subgrupo(x: str) -> str:
    """x·y^(2q): residuo cuadrático (símbolo de Jacobi +1) cuya componente de orden (p−1)/(2q) ≠ 1."""
    y = pow(3, 2 * Q, P)
    assert y != 1 and pow(y, Q, P) != 1 and gmpy2.jacobi(y, P) == 1
    return format(int(x, 16) * y % P, "X").rjust(HEX_P, "0")


SEL = "contiendas[1].selecciones[2]"
# Tabla de casos: una línea lógica por caso (descripción, clase, mutación, motivo, campo).
# fmt: off
RECHAZOS: list[tuple[str, type, Callable[[dict[str, Any]], None], Motivo, str]] = [
    ("campo faltante", Queja, _quitar("motivo"),
     Motivo.CAMPO_FALTANTE, "motivo"),
    ("campo faltante anidado", BoletaCifrada, _quitar("contiendas[1].prueba_limite"),
     Motivo.CAMPO_FALTANTE, "contiendas[1].prueba_limite"),
    ("campo desconocido", Queja, _poner("extra", 1),
     Motivo.CAMPO_DESCONOCIDO, "(raíz)"),
    ("campo desconocido anidado", BoletaCifrada, _poner(f"{SEL}.cifrado.gamma", "00"),
     Motivo.CAMPO_DESCONOCIDO, f"{SEL}.cifrado"),
    ("entero como cadena", Queja, _poner("acusado", "4"),
     Motivo.TIPO_INVALIDO, "acusado"),
    ("entero como flotante", Queja, _poner("acusado", 4.0),
     Motivo.TIPO_INVALIDO, "acusado"),
    ("booleano como entero", Queja, _poner("acusador", True),
     Motivo.TIPO_INVALIDO, "acusador"),
    ("entero anidado como cadena", BoletaCifrada, _poner("contiendas[0].indice", "2"),
     Motivo.TIPO_INVALIDO, "contiendas[0].indice"),
    ("cadena como entero", Queja, _poner("motivo", 7),
     Motivo.TIPO_INVALIDO, "motivo"),
    ("null no opcional", BoletaCifrada, _poner("id_boleta", None),
     Motivo.TIPO_INVALIDO, "id_boleta"),
    ("objeto como lista", BoletaCifrada, _poner("contiendas", {}),
     Motivo.TIPO_INVALIDO, "contiendas"),
    ("lista como objeto", BoletaCifrada, _poner("firma", []),
     Motivo.TIPO_INVALIDO, "firma"),
    ("lista de enteros con cadena", ConfirmacionComparticiones, _poner("emisores[2]", "4"),
     Motivo.TIPO_INVALIDO, "emisores[2]"),
    ("cuórum faltante", DescifradoParcial, _quitar("cuorum"),
     Motivo.CAMPO_FALTANTE, "cuorum"),
    ("cuórum con cadena", DescifradoParcial, _poner("cuorum[1]", "3"),
     Motivo.TIPO_INVALIDO, "cuorum[1]"),
    ("cuórum con booleano", DescifradoParcial, _poner("cuorum[0]", True),
     Motivo.TIPO_INVALIDO, "cuorum[0]"),
    ("cuórum como objeto", DescifradoParcial, _poner("cuorum", {}),
     Motivo.TIPO_INVALIDO, "cuorum"),
    ("cuórum de los retos con cadena", RetosDescifrado, _poner("cuorum[2]", "5"),
     Motivo.TIPO_INVALIDO, "cuorum[2]"),
    ("bytes en minúsculas", BoletaCifrada, _poner("codigo_confirmacion", _en_minusculas),
     Motivo.FORMATO_INVALIDO, "codigo_confirmacion"),
    ("bytes de longitud impar", BoletaCifrada, _poner("codigo_confirmacion", lambda x: x[:-1]),
     Motivo.FORMATO_INVALIDO, "codigo_confirmacion"),
    ("bytes con prefijo 0x", ConfirmacionRegistro, _poner("hash_registro", lambda x: "0x" + x[2:]),
     Motivo.FORMATO_INVALIDO, "hash_registro"),
    ("elemento p en minúsculas", BoletaCifrada, _poner(f"{SEL}.cifrado.alfa", _en_minusculas),
     Motivo.FORMATO_INVALIDO, f"{SEL}.cifrado.alfa"),
    ("elemento q en minúsculas", BoletaCifrada, _poner("firma.reto", _en_minusculas),
     Motivo.FORMATO_INVALIDO, "firma.reto"),
    ("elemento p corto", BoletaCifrada, _poner(f"{SEL}.cifrado.beta", lambda x: x[1:]),
     Motivo.FORMATO_INVALIDO, f"{SEL}.cifrado.beta"),
    ("elemento p largo", BoletaCifrada, _poner(f"{SEL}.cifrado.beta", lambda x: "0" + x),
     Motivo.FORMATO_INVALIDO, f"{SEL}.cifrado.beta"),
    ("elemento q corto", BoletaCifrada, _poner(f"{SEL}.prueba.retos[1]", lambda x: x[2:]),
     Motivo.FORMATO_INVALIDO, f"{SEL}.prueba.retos[1]"),
    ("elemento q como entero", BoletaCifrada, _poner("firma.respuesta", 5),
     Motivo.FORMATO_INVALIDO, "firma.respuesta"),
    ("elemento q igual a q", BoletaCifrada, _poner("firma.respuesta", format(Q, "X")),
     Motivo.FUERA_DE_RANGO_Q, "firma.respuesta"),
    ("elemento q máximo", BoletaCifrada, _poner(f"{SEL}.prueba.respuestas[0]", "F" * HEX_Q),
     Motivo.FUERA_DE_RANGO_Q, f"{SEL}.prueba.respuestas[0]"),
    ("elemento p cero", BoletaCifrada, _poner(f"{SEL}.cifrado.alfa", "0" * HEX_P),
     Motivo.FUERA_DE_RANGO_P, f"{SEL}.cifrado.alfa"),
    ("elemento p igual a p", BoletaCifrada, _poner("credencial", format(P, "X")),
     Motivo.FUERA_DE_RANGO_P, "credencial"),
    ("elemento p máximo", RegistroLlaves, _poner("llaves_verificacion[4]", "F" * HEX_P),
     Motivo.FUERA_DE_RANGO_P, "llaves_verificacion[4]"),
    ("p − α fuera del subgrupo", BoletaCifrada, _poner(f"{SEL}.cifrado.alfa", _p_menos),
     Motivo.NO_ES_MIEMBRO_SUBGRUPO, f"{SEL}.cifrado.alfa"),
    ("p − 1 fuera del subgrupo", BoletaCifrada, _poner("credencial", format(P - 1, "X")),
     Motivo.NO_ES_MIEMBRO_SUBGRUPO, "credencial"),
    ("residuo cuadrático fuera del subgrupo", BoletaCifrada,
     _poner(f"{SEL}.cifrado.beta", _residuo_fuera_del_subgrupo),
     Motivo.NO_ES_MIEMBRO_SUBGRUPO, f"{SEL}.cifrado.beta"),
    ("compromiso fuera del subgrupo", RegistroLlaves, _poner("compromisos[2].compromisos[1]", _p_menos),
     Motivo.NO_ES_MIEMBRO_SUBGRUPO, "compromisos[2].compromisos[1]"),
    ("M_i fuera del subgrupo", DescifradoParcial, _poner("partes[3].m", _residuo_fuera_del_subgrupo),
     Motivo.NO_ES_MIEMBRO_SUBGRUPO, "partes[3].m"),
    ("C0 fuera del subgrupo", ComparticionCifrada, _poner("c0", _p_menos),
     Motivo.NO_ES_MIEMBRO_SUBGRUPO, "c0"),
    ("escrutinio fuera del subgrupo", EscrutinioCifrado, _poner("contiendas[2].cifrados[9].beta", _p_menos),
     Motivo.NO_ES_MIEMBRO_SUBGRUPO, "contiendas[2].cifrados[9].beta"),
    ("M de resultado fuera del subgrupo", ResultadoDescifrado, _poner("opciones[0].m", _p_menos),
     Motivo.NO_ES_MIEMBRO_SUBGRUPO, "opciones[0].m"),
]
# fmt: on


@pytest.mark.parametrize(
    ("clase", "mutar", "motivo", "campo"), [r[1:] for r in RECHAZOS], ids=[r[0] for r in RECHAZOS]
)
def test_rechazo_preciso(mensajes, clase: type, mutar, motivo: Motivo, campo: str) -> None:
    documento = copy.deepcopy(_doc(mensajes, clase))
    mutar(documento)
    error = _rechazo(documento, clase)
    assert error.motivo is motivo
    assert error.detalles == {"campo": campo}
    assert error.como_dict()["codigo"] == motivo.value


def test_limites_exactos_se_aceptan(mensajes) -> None:
    """q − 1 y 1 son valores válidos al decodificar (la verificación criptográfica es otra capa)."""
    documento = _doc(mensajes, BoletaCifrada)
    documento["firma"]["respuesta"] = format(Q - 1, "X")
    documento["contiendas"][0]["selecciones"][0]["cifrado"]["alfa"] = "0" * (HEX_P - 1) + "1"
    boleta = deserializar(json.dumps(documento), BoletaCifrada, G)
    assert int(boleta.firma.respuesta) == Q - 1
    assert int(boleta.contiendas[0].selecciones[0].cifrado.alfa) == 1


def test_el_primer_culpable_en_orden_del_documento(mensajes) -> None:
    """Con dos elementos fuera del subgrupo, el error nombra el primero en el orden de los campos."""
    documento = _doc(mensajes, BoletaCifrada)
    for ruta in ("contiendas[1].selecciones[3].cifrado.beta", "contiendas[0].selecciones[1].cifrado.alfa"):
        _poner(ruta, _p_menos)(documento)
    assert _rechazo(documento, BoletaCifrada).detalles == {
        "campo": "contiendas[0].selecciones[1].cifrado.alfa"
    }


def test_version_y_tipo_solo_en_la_raiz(mensajes) -> None:
    documento = _doc(mensajes, BoletaCifrada)
    documento["contiendas"][0]["version"] = VERSION_ESPECIFICACION
    error = _rechazo(documento, BoletaCifrada)
    assert (error.motivo, error.detalles) == (Motivo.CAMPO_DESCONOCIDO, {"campo": "contiendas[0]"})


def test_llave_repetida_se_rechaza() -> None:
    """§10.2: a JSON object with a repeated key is ambiguous and rejected."""
    from vmre_crypto import Queja

    texto = serializar(Queja(1, 2, "x"))
    repetido = texto[:-1] + ',"acusado":3}'
    with pytest.raises(ErrorDecodificacion) as info:
        deserializar(repetido, Queja, None)
    assert info.value.motivo is Motivo.FORMATO_INVALIDO
