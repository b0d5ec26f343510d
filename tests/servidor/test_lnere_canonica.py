"""Documento canónico de la LNERE (§16.2–§16.4): vector de respuesta conocida, lectura estricta
y comparación.  Sin base de datos: es lo que un auditor reimplementa."""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import pytest

from servidor_referencia.dominio.lnere_canonica import (
    DocumentoInvalido,
    codigo_integridad,
    comparar,
    leer,
    normalizar_nombre,
    registro,
    serializar,
)

ESPECIFICACION = Path(__file__).resolve().parents[2] / "especificacion" / "16-lnere.md"
CODIGO_VECTOR = "d286e8f0d3ac13edd7fc17d42c8140c35fc6ddf5cecfdca64ec07e1d94d6f895"

ENTRADAS_VECTOR = [
    {
        "clave_elector": "GOMZJN90010114HA01",
        "nombres": "Juan  Carlos ",
        "primer_apellido": "Gómez",
        "segundo_apellido": "",
        "fecha_nacimiento": "1990-01-01",
        "entidad": "14",
        "pais": "US",
        "folio": "VMRE-26-0000001-C",
        "correo": "juan.gomez@ejemplo.org",
        "telefono": "+13125550101",
    },
    {
        "clave_elector": "PRLPMR85031509M002",
        "nombres": "María José",
        "primer_apellido": "Pe\u0301rez",
        "segundo_apellido": "López",
        "fecha_nacimiento": "1985-03-15",
        "entidad": "09",
        "pais": "ES",
        "folio": "VMRE-26-0000002-K",
        "correo": "mjperez@ejemplo.es",
        "telefono": "+34915550102",
    },
    {
        "clave_elector": "NXXNAL01123132X7K9",
        "nombres": "Alex",
        "primer_apellido": "Núñez",
        "segundo_apellido": "O'Connor",
        "fecha_nacimiento": "2001-12-31",
        "entidad": "32",
        "pais": "CA",
        "folio": "VMRE-26-0000003-E",
        "correo": "alex@ejemplo.ca",
        "telefono": "+14165550103",
    },
]


def documento_vector() -> bytes:
    return serializar("electronica", 1, [registro(**e) for e in ENTRADAS_VECTOR])


def vector_de_la_especificacion() -> bytes:
    texto = ESPECIFICACION.read_text(encoding="utf-8")
    m = re.search(r"<!-- vector-lnere-1: inicio -->\n```\n(.*?)```\n<!-- vector-lnere-1: fin -->", texto, re.S)
    assert m, "no se encontró el vector en §16.7"
    return m.group(1).encode("utf-8")


# ------------------------------------------------------------------ vector (§16.7)


def test_known_answer_vector_bytes_and_hash() -> None:
    d = documento_vector()
    assert len(d) == 885
    assert hashlib.sha256(d).hexdigest() == CODIGO_VECTOR
    assert codigo_integridad(d) == CODIGO_VECTOR
    assert d == vector_de_la_especificacion()
    assert CODIGO_VECTOR in ESPECIFICACION.read_text(encoding="utf-8")


def test_vector_reads_back_and_reserializes_identically() -> None:
    d = documento_vector()
    doc = leer(d)
    assert doc.codigo == CODIGO_VECTOR
    assert [r.clave_elector for r in doc.registros] == [
        "GOMZJN90010114HA01",
        "NXXNAL01123132X7K9",
        "PRLPMR85031509M002",
    ]
    assert doc.registros[0].nombres == "Juan Carlos" and doc.registros[0].segundo_apellido == ""
    assert doc.registros[2].primer_apellido == "P\u00e9rez"
    assert serializar("electronica", 1, doc.registros) == d


def test_input_order_does_not_matter() -> None:
    entradas = list(ENTRADAS_VECTOR)
    for semilla in range(5):
        random.Random(semilla).shuffle(entradas)
        assert serializar("electronica", 1, [registro(**e) for e in entradas]) == documento_vector()


def test_every_header_field_changes_the_code() -> None:
    registros = [registro(**e) for e in ENTRADAS_VECTOR]
    codigos = {
        codigo_integridad(serializar(m, v, registros))
        for m, v in [("electronica", 1), ("electronica", 2), ("postal", 1), ("presencial", 1)]
    }
    assert len(codigos) == 4


# ------------------------------------------------------------ normalización (16.6)


@pytest.mark.parametrize(
    ("entrada", "salida"),
    [
        ("Juan  Carlos ", "Juan Carlos"),
        ("Pe\u0301rez", "P\u00e9rez"),
        ("\tAna\u00a0María\n", "Ana María"),
        ("Ana\u2003\u2003Luz", "Ana Luz"),
        ("PÉREZ", "PÉREZ"),  # no cambia mayúsculas ni acentos
        ("", ""),
    ],
)
def test_name_normalization(entrada: str, salida: str) -> None:
    assert normalizar_nombre(entrada) == salida


def test_writer_rejects_bad_values() -> None:
    base = dict(ENTRADAS_VECTOR[0])
    for campo, valor in [
        ("clave_elector", "gomzjn90010114ha01"),
        ("clave_elector", "GOMZJN90010114ZA01"),
        ("fecha_nacimiento", "1990-02-30"),
        ("entidad", "33"),
        ("pais", "usa"),
        ("nombres", "   "),
        ("correo", ""),
        ("folio", "x\u0001y"),
        ("nombres", "A" * 121),
    ]:
        with pytest.raises(DocumentoInvalido):
            registro(**{**base, campo: valor})
    with pytest.raises(DocumentoInvalido, match="aparece dos veces"):
        serializar("postal", 1, [registro(**base), registro(**base)])
    with pytest.raises(DocumentoInvalido, match="modalidad"):
        serializar("internet", 1, [registro(**base)])
    with pytest.raises(DocumentoInvalido, match="versión"):
        serializar("postal", 0, [registro(**base)])


# ----------------------------------------------------------------- lectura (16.9)

LINEAS = documento_vector().decode("utf-8").split("\n")[:-1]


def _con(linea: int, nueva: str) -> bytes:
    lineas = list(LINEAS)
    lineas[linea - 1] = nueva
    return ("\n".join(lineas) + "\n").encode("utf-8")


def _sustituir(linea: int, viejo: str, nuevo: str) -> bytes:
    assert viejo in LINEAS[linea - 1]
    return _con(linea, LINEAS[linea - 1].replace(viejo, nuevo, 1))


MALFORMADOS = {
    "bom": (b"\xef\xbb\xbf" + documento_vector(), None, "BOM"),
    "no_utf8": (documento_vector().replace("ó".encode(), b"\xf3"), None, "UTF-8"),
    "vacio": (b"", None, "vacío"),
    "crlf": (documento_vector().replace(b"\n", b"\r\n"), 1, "retorno de carro"),
    "sin_lf_final": (documento_vector()[:-1], 4, "no termina en LF"),
    "linea_vacia": (documento_vector() + b"\n", 5, "línea vacía"),
    "no_json": (_con(3, "{no es json"), 3, "no es JSON"),
    "arreglo": (_con(1, "[1,2]"), 1, "objeto"),
    "formato": (_sustituir(1, "vmre-lnere-1", "vmre-lnere-2"), 1, "formato no soportado"),
    "tipo": (_sustituir(1, '"corte_lnere"', '"lista"'), 1, "tipo"),
    "modalidad": (_sustituir(1, "electronica", "internet"), 1, "modalidad desconocida"),
    "version_cero": (_sustituir(1, '"version_corte":1', '"version_corte":0'), 1, "version_corte"),
    "version_texto": (_sustituir(1, '"version_corte":1', '"version_corte":"1"'), 1, "version_corte"),
    "version_booleana": (_sustituir(1, '"version_corte":1', '"version_corte":true'), 1, "version_corte"),
    "version_fraccion": (_sustituir(1, '"version_corte":1', '"version_corte":1.0'), 1, "version_corte"),
    "cuenta_mayor": (_sustituir(1, '"num_registros":3', '"num_registros":4'), 1, "anuncia 4 registros"),
    "cuenta_menor": (_sustituir(1, '"num_registros":3', '"num_registros":2'), 1, "anuncia 2 registros"),
    "campo_faltante": (_sustituir(2, '"correo":"juan.gomez@ejemplo.org",', ""), 2, "falta el campo «correo»"),
    "campo_sobrante": (_sustituir(2, '"correo"', '"curp":"X","correo"'), 2, "campo desconocido «curp»"),
    "llave_repetida": (_sustituir(2, '"correo"', '"pais":"US","correo"'), 2, "repetida"),
    "campo_no_texto": (_sustituir(2, '"entidad":"14"', '"entidad":14'), 2, "debe ser texto"),
    "segundo_nulo": (_sustituir(2, '"segundo_apellido":""', '"segundo_apellido":null'), 2, "debe ser texto"),
    "clave": (_sustituir(2, "GOMZJN90010114HA01", "GOMZJN90010114QA01"), 2, "clave de elector"),
    "fecha": (_sustituir(2, "1990-01-01", "1990-13-01"), 2, "fecha de nacimiento"),
    "fecha_forma": (_sustituir(2, "1990-01-01", "90-01-01"), 2, "fecha de nacimiento"),
    "entidad": (_sustituir(2, '"entidad":"14"', '"entidad":"33"'), 2, "entidad"),
    "pais": (_sustituir(2, '"pais":"US"', '"pais":"us"'), 2, "país"),
    "no_nfc": (_sustituir(4, "Pérez", "Pe\u0301rez"), 4, "NFC"),
    "espacios_nombre": (_sustituir(2, "Juan Carlos", "Juan  Carlos"), 2, "normalizado"),
    "control": (_sustituir(2, "Juan Carlos", "Juan\\u0007Carlos"), 2, "U+0007"),
    "nombre_vacio": (_sustituir(3, '"nombres":"Alex"', '"nombres":""'), 3, "vacío"),
    "desordenado": (("\n".join([*LINEAS[:2], LINEAS[3], LINEAS[2]]) + "\n").encode(), 4, "ordenados"),
    "repetido": (_con(3, LINEAS[1]), 3, "ordenados"),
    "espacios_json": (_sustituir(2, '"correo":', '"correo": '), 2, "JSON canónico"),
    "escape_innecesario": (_sustituir(4, "Pérez", "P\\u00e9rez"), 4, "JSON canónico"),
    "orden_llaves": (
        _con(
            1,
            '{"modalidad":"electronica","formato":"vmre-lnere-1","num_registros":3,'
            '"tipo":"corte_lnere","version_corte":1}',
        ),
        1,
        "JSON canónico",
    ),
    "nan": (_sustituir(1, '"version_corte":1', '"version_corte":NaN'), 1, "no es JSON"),
}


@pytest.mark.parametrize("caso", sorted(MALFORMADOS))
def test_reader_rejects_malformed_documents(caso: str) -> None:
    contenido, linea, fragmento = MALFORMADOS[caso]
    with pytest.raises(DocumentoInvalido) as info:
        leer(contenido)
    assert info.value.linea == linea, info.value.mensaje
    assert fragmento in info.value.mensaje
    if linea:
        assert info.value.mensaje.startswith(f"Línea {linea}: ")


def test_empty_cut_document_is_readable() -> None:
    d = serializar("postal", 7, [])
    assert (
        d
        == b'{"formato":"vmre-lnere-1","modalidad":"postal","num_registros":0,"tipo":"corte_lnere","version_corte":7}\n'
    )
    assert leer(d).registros == ()


# ------------------------------------------------------------- comparación (16.11)


def test_identical_documents() -> None:
    a, b = leer(documento_vector()), leer(documento_vector())
    r = comparar(a, b)
    assert r.identicas and r.resultado == "idénticas"
    assert r.codigo_a == r.codigo_b == CODIGO_VECTOR
    assert (r.agregados, r.eliminados, r.cambiados, r.diferencias_encabezado) == ((), (), (), ())


def test_one_character_change_in_a_name_is_detected() -> None:
    b = leer(_sustituir(2, "Juan Carlos", "Juan Carlas"))
    r = comparar(leer(documento_vector()), b)
    assert not r.identicas and r.resultado == "diferentes"
    assert r.codigo_b != CODIGO_VECTOR
    assert [(c.clave_elector, c.campos) for c in r.cambiados] == [("GOMZJN90010114HA01", ("nombres",))]
    assert r.agregados == r.eliminados == () and r.diferencias_encabezado == ()


def test_added_removed_changed_and_header() -> None:
    entradas = [dict(e) for e in ENTRADAS_VECTOR]
    del entradas[2]  # NXXN… eliminado
    entradas[1]["correo"], entradas[1]["segundo_apellido"] = "otro@ejemplo.es", "Lopez"
    entradas.append({**ENTRADAS_VECTOR[0], "clave_elector": "ZZZZZZ90010114HA01", "folio": "VMRE-26-0000009-T"})
    b = leer(serializar("electronica", 2, [registro(**e) for e in entradas]))
    r = comparar(leer(documento_vector()), b)
    assert r.agregados == ("ZZZZZZ90010114HA01",)
    assert r.eliminados == ("NXXNAL01123132X7K9",)
    assert [(c.clave_elector, c.campos) for c in r.cambiados] == [
        ("PRLPMR85031509M002", ("correo", "segundo_apellido"))
    ]
    assert r.diferencias_encabezado == ("version_corte",)
    publico = r.como_json(con_claves=False)
    assert publico["num_agregados"] == publico["num_eliminados"] == publico["num_cambiados"] == 1
    assert "agregados" not in publico and "cambiados" not in publico
    assert r.como_json()["cambiados"] == [
        {"clave_elector": "PRLPMR85031509M002", "campos": ["correo", "segundo_apellido"]}
    ]
    assert r.como_json()["encabezado"] == [{"campo": "version_corte", "a": 1, "b": 2}]
