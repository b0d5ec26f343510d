"""La cadena del tablero (§14.2): fórmulas (14.1)–(14.2), enlaces y líneas en forma canónica exacta."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from pathlib import Path

import herramientas as hr
import pytest
from click.testing import CliRunner

from vmre_crypto.cli import principal
from vmre_crypto.errores import ErrorDecodificacion
from vmre_crypto.registro.tablero import (
    HASH_INICIAL,
    EscritorTablero,
    hash_entrada,
    hash_objeto,
    leer_tablero,
)
from vmre_crypto.serializacion import texto_canonico
from vmre_crypto.verificador.verificar import ErrorEntrada

# Vector de §14.2.3: la entrada 0 no depende del azar de la elección.
H_OBJETO_0 = "04E656CBD52A6BAD985D257209B28EBF576E15D2E7D490A6D8D66CFC944591C2"
H_ENTRADA_0 = "3989F41AFFD3A9E48DE5ED58CFA71631EFB53E82F6D57650EEFAD71C5A768487"


def _hmac(datos: bytes) -> bytes:
    return hmac.new(hr.H_P, datos, hashlib.sha256).digest()


def _bt(texto: str) -> bytes:
    datos = texto.encode("utf-8")
    return len(datos).to_bytes(4, "big") + datos


# -- fórmulas -----------------------------------------------------------------------------------------
def test_h_p_es_el_del_grupo_estandar() -> None:
    assert hr.H_P.hex().upper().startswith("2B3B025E")
    assert hr.H_P.hex().upper().endswith("CDD86296")


def test_hash_objeto_es_hmac_con_dominio_0x54() -> None:
    texto = '{"a":1,"tipo":"x","ñ":"é"}'
    assert hash_objeto(hr.H_P, texto) == _hmac(b"\x54" + texto.encode("utf-8"))
    # Un solo byte distinto (aun uno equivalente como JSON) cambia el hash.
    assert hash_objeto(hr.H_P, texto) != hash_objeto(hr.H_P, texto.replace("1", "1.0"))


def test_hash_entrada_disposicion_de_bytes() -> None:
    anterior, objeto = bytes(range(32)), bytes(range(32, 64))
    tipo, tiempo = "boleta_cifrada", "2027-06-06T08:00:11Z"
    datos = b"\x55" + (11).to_bytes(4, "big") + _bt(tipo) + anterior + objeto + _bt(tiempo)
    assert len(datos) == 97 + len(tipo) == 111  # §14.2.2
    assert hash_entrada(hr.H_P, 11, tipo, anterior, objeto, tiempo) == _hmac(datos)
    # Cada campo entra en el hash.
    base = hash_entrada(hr.H_P, 11, tipo, anterior, objeto, tiempo)
    assert hash_entrada(hr.H_P, 12, tipo, anterior, objeto, tiempo) != base
    assert hash_entrada(hr.H_P, 11, "boleta_desafiada", anterior, objeto, tiempo) != base
    assert hash_entrada(hr.H_P, 11, tipo, objeto, anterior, tiempo) != base
    assert hash_entrada(hr.H_P, 11, tipo, anterior, objeto, "2027-06-06T08:00:12Z") != base


def test_vector_de_la_entrada_0(muestra: hr.RegistroMuestra) -> None:
    primera = muestra.lineas()[0]
    entrada = primera["entrada"]
    texto = texto_canonico(primera["objeto"])
    assert len(texto.encode("utf-8")) == 1868  # §14.2.3
    assert entrada == {
        "indice": 0,
        "tipo": "configuracion_eleccion",
        "hash_anterior": "0" * 64,
        "hash_objeto": H_OBJETO_0,
        "tiempo": "2027-06-06T08:00:00Z",
        "hash_entrada": H_ENTRADA_0,
    }
    assert hash_objeto(hr.H_P, texto).hex().upper() == H_OBJETO_0
    datos = b"\x55" + bytes(4) + _bt("configuracion_eleccion") + bytes(32) + bytes.fromhex(H_OBJETO_0)
    datos += _bt("2027-06-06T08:00:00Z")
    assert len(datos) == 119
    assert _hmac(datos).hex().upper() == H_ENTRADA_0


def test_la_cadena_de_la_muestra_enlaza_cada_entrada(muestra: hr.RegistroMuestra) -> None:
    lineas = list(leer_tablero(hr.ruta_tablero(muestra.directorio)))
    assert [linea.numero for linea in lineas] == list(range(1, len(lineas) + 1))
    cabeza = HASH_INICIAL
    assert cabeza == bytes(32)
    for linea in lineas:
        e = linea.entrada
        assert e.indice == linea.numero - 1
        assert e.tipo == linea.objeto["tipo"]
        assert e.hash_anterior == cabeza
        assert e.hash_objeto == hash_objeto(hr.H_P, linea.texto_objeto)
        assert e.hash_entrada == hash_entrada(hr.H_P, e.indice, e.tipo, e.hash_anterior, e.hash_objeto, e.tiempo)
        cabeza = e.hash_entrada
    # Las actas anclan la cabeza del tablero que las precede.
    for linea in lineas:
        if linea.objeto["tipo"] in hr.TIPOS_ACTA:
            assert linea.objeto["cabeza_tablero"] == linea.entrada.hash_anterior.hex().upper()
            assert linea.objeto["entradas"] == linea.entrada.indice
    assert lineas[-1].objeto["tipo"] == "acta_computo"


def test_escritor_y_lector_del_tablero_son_inversos() -> None:
    salida = io.StringIO()
    escritor = EscritorTablero(hr.H_P, salida)
    documentos = ['{"tipo":"uno","version":"vmre-1.0"}', '{"a":"ñandú","tipo":"dos","version":"vmre-1.0"}']
    entradas = [escritor.agregar(d, f"2027-06-06T08:00:0{i}Z") for i, d in enumerate(documentos)]
    assert entradas[0].hash_anterior == HASH_INICIAL
    assert entradas[1].hash_anterior == entradas[0].hash_entrada
    assert escritor.cabeza == entradas[1].hash_entrada and escritor.indice == 2
    texto = salida.getvalue()
    assert texto.endswith("\n") and texto.count("\n") == 2
    assert "ñandú" in texto  # UTF-8 sin escapes (§10.2)


def test_herramientas_reproducen_el_archivo_byte_por_byte(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """``escribir_lineas`` y ``rehacer_actas`` sobre un registro intacto no cambian ni un byte."""
    lineas = muestra.lineas()
    assert hr.texto_lineas(lineas) == muestra.texto()
    assert hr.texto_lineas(hr.forjar(lineas)) == muestra.texto()
    hr.escribir_lineas(tmp_path, hr.rehacer_cadena(lineas))
    assert hr.ruta_tablero(tmp_path).read_bytes() == hr.ruta_tablero(muestra.directorio).read_bytes()


# -- forma canónica exacta (§14.2.1): cualquier otra forma es entrada ilegible (salida 2) ------------------
def _espacio_tras_dos_puntos(linea: str) -> str:
    return linea.replace('"entrada":', '"entrada": ', 1)


def _espacio_final(linea: str) -> str:
    return linea[:-1] + " \n"


def _llaves_de_la_linea_invertidas(linea: str) -> str:
    datos = json.loads(linea)
    return '{"objeto":' + texto_canonico(datos["objeto"]) + ',"entrada":' + texto_canonico(datos["entrada"]) + "}\n"


def _llaves_de_la_entrada_reordenadas(linea: str) -> str:
    datos = json.loads(linea)
    entrada = json.dumps(dict(reversed(list(datos["entrada"].items()))), separators=(",", ":"))
    return '{"entrada":' + entrada + ',"objeto":' + texto_canonico(datos["objeto"]) + "}\n"


def _llaves_del_objeto_reordenadas(linea: str) -> str:
    datos = json.loads(linea)
    objeto = json.dumps(dict(reversed(list(datos["objeto"].items()))), separators=(",", ":"), ensure_ascii=False)
    return '{"entrada":' + texto_canonico(datos["entrada"]) + ',"objeto":' + objeto + "}\n"


def _escapes_ascii(linea: str) -> str:
    datos = json.loads(linea)
    objeto = json.dumps(datos["objeto"], sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert objeto != texto_canonico(datos["objeto"])
    return '{"entrada":' + texto_canonico(datos["entrada"]) + ',"objeto":' + objeto + "}\n"


def _crlf(linea: str) -> str:
    return linea[:-1] + "\r\n"


def _cr(linea: str) -> str:
    return linea[:-1] + "\r"


def _sangria(linea: str) -> str:
    return json.dumps(json.loads(linea), ensure_ascii=False, indent=1).replace("\n", "") + "\n"


def _llave_de_mas(linea: str) -> str:
    return linea[:-2] + ',"extra":1}\n'


def _entero_como_flotante(linea: str) -> str:
    return linea.replace('"indice":0,', '"indice":0.0,', 1)


def _no_es_json(linea: str) -> str:
    return linea[: len(linea) // 2] + "\n"


def _bom(linea: str) -> str:
    return "\ufeff" + linea


NO_CANONICAS = {
    "espacio_tras_dos_puntos": _espacio_tras_dos_puntos,
    "espacio_final": _espacio_final,
    "llaves_de_la_linea_invertidas": _llaves_de_la_linea_invertidas,
    "llaves_de_la_entrada_reordenadas": _llaves_de_la_entrada_reordenadas,
    "llaves_del_objeto_reordenadas": _llaves_del_objeto_reordenadas,
    "escapes_ascii": _escapes_ascii,
    "sangria": _sangria,
    "llave_de_mas": _llave_de_mas,
    "entero_como_flotante": _entero_como_flotante,
    "no_es_json": _no_es_json,
    "bom": _bom,
}


#: Fin de renglón distinto de U+000A (el lector no debe traducir "\r\n" ni "\r" a "\n").
FINES_DE_RENGLON = {"crlf": _crlf, "cr": _cr}


@pytest.mark.parametrize(
    "nombre",
    [*sorted(NO_CANONICAS), *sorted(FINES_DE_RENGLON)],
)
def test_linea_no_canonica_es_entrada_ilegible(muestra: hr.RegistroMuestra, tmp_path: Path, nombre: str) -> None:
    lineas = muestra.texto().splitlines(keepends=True)
    lineas[0] = {**NO_CANONICAS, **FINES_DE_RENGLON}[nombre](lineas[0])
    ruta = hr.ruta_tablero(tmp_path)
    ruta.write_text("".join(lineas), encoding="utf-8", newline="")
    with pytest.raises(ErrorDecodificacion):
        list(leer_tablero(ruta))
    with pytest.raises(ErrorEntrada):
        hr.verificar(tmp_path)
    resultado = CliRunner().invoke(principal, ["verificar", str(tmp_path), "--procesos", "1", "--json"])
    assert resultado.exit_code == 2, resultado.output
    assert json.loads(resultado.stdout)["error"] == "entrada_ilegible"


def test_linea_no_canonica_a_mitad_del_registro(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """La forma canónica se exige en toda línea, no solo en la primera (aquí, una boleta)."""
    lineas = muestra.texto().splitlines(keepends=True)
    numero = hr.posiciones(muestra.lineas(), "boleta_cifrada")[3]
    lineas[numero] = _llaves_del_objeto_reordenadas(lineas[numero])
    hr.ruta_tablero(tmp_path).write_text("".join(lineas), encoding="utf-8", newline="")
    with pytest.raises(ErrorEntrada, match=f"línea {numero + 1}"):
        hr.verificar(tmp_path)


def test_archivo_entero_con_crlf_es_ilegible(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Todo el archivo con CRLF: los hashes no cambian, pero el archivo no es (14.3) byte por byte."""
    hr.ruta_tablero(tmp_path).write_bytes(hr.ruta_tablero(muestra.directorio).read_bytes().replace(b"\n", b"\r\n"))
    with pytest.raises(ErrorEntrada):
        hr.verificar(tmp_path)


def test_utf8_invalido_es_entrada_ilegible(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    datos = hr.ruta_tablero(muestra.directorio).read_bytes()
    corte = datos.index(b"Simulacro")
    hr.ruta_tablero(tmp_path).write_bytes(datos[:corte] + b"\xff" + datos[corte + 1 :])
    with pytest.raises(ErrorEntrada):
        hr.verificar(tmp_path)
    resultado = CliRunner().invoke(principal, ["verificar", str(tmp_path), "--procesos", "1"])
    assert resultado.exit_code == 2


def test_ultima_linea_sin_salto_de_renglon(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    hr.ruta_tablero(tmp_path).write_text(muestra.texto()[:-1], encoding="utf-8", newline="")
    with pytest.raises(ErrorEntrada):
        hr.verificar(tmp_path)


def test_entrada_que_no_se_decodifica(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Una entrada con un campo de más (en forma canónica) no se decodifica: salida 2."""
    lineas = muestra.lineas()
    lineas[5]["entrada"]["firma"] = "00"
    hr.escribir_lineas(tmp_path, lineas)
    with pytest.raises(ErrorEntrada):
        hr.verificar(tmp_path)
