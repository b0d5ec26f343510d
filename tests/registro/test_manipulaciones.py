"""Manipulaciones del registro publicado: cada una se rechaza nombrando la comprobación esperada.

Cada caso se prueba, donde tiene sentido, dos veces:

* **cruda** — se edita ``tablero.jsonl`` sin tocar la cadena: V-T1 debe fallar, y también la
  comprobación semántica (el verificador sigue después de una falla);
* **forjada** — además se recalcula toda la cadena y se parchan la cabeza y el número de entradas
  de las actas (lo que puede hacer cualquiera sin secretos): V-T1 pasa y la comprobación
  semántica debe fallar igual.

La aserción es siempre ``esperadas ⊆ fallidas``; donde el caso es preciso se comprueba además
qué comprobaciones NO fallan (p. ej. que una boleta replicada y re-firmada pasa V5..V-C1 y solo
la delata V-B2).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from pathlib import Path

import herramientas as hr
import pytest

from vmre_crypto.boletas import BoletaCifrada, cifrar_boleta, codigo_confirmacion, datos_auxiliares
from vmre_crypto.credenciales import ParCredencial, generar_credencial, hash_lista_credenciales
from vmre_crypto.escrutinio import EscrutinioCifrado
from vmre_crypto.primitivas.elgamal import Cifrado
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR
from vmre_crypto.primitivas.pruebas_zk.firma import firmar
from vmre_crypto.registro.documentos import BoletaDesafiada
from vmre_crypto.testing.azar import con_semilla
from vmre_crypto.verificador.informe import Informe
from vmre_crypto.verificador.verificar import ErrorEntrada

Lineas = list[hr.Linea]


@pytest.fixture(autouse=True, scope="module")
def _aritmetica_memorizada():
    """Las exponenciaciones (funciones puras) se memorizan: cada caso repite casi todas las de la muestra."""
    with hr.aritmetica_memorizada():
        yield


# -- utilidades de los casos ---------------------------------------------------------------------
def _boleta(lineas: Lineas, posicion: int) -> BoletaCifrada:
    if lineas[posicion]["objeto"]["tipo"] == "boleta_desafiada":
        return hr.documento(lineas, posicion, BoletaDesafiada).boleta
    return hr.documento(lineas, posicion, BoletaCifrada)


def _reemplazar(lineas: Lineas, posicion: int, documento: object) -> None:
    """Cambia el documento de una línea y deja su entrada como estaba (la variante cruda)."""
    lineas[posicion]["objeto"] = hr.objeto_json(documento)


def _insertar(lineas: Lineas, posicion: int, documento: object) -> None:
    """Inserta una línea nueva con la hora de la anterior (entrada provisional: rota en la cruda)."""
    lineas.insert(posicion, hr.nueva_linea(documento, lineas[posicion - 1]["entrada"]["tiempo"]))


def _refirmada(
    muestra: hr.RegistroMuestra,
    boleta: BoletaCifrada,
    credencial: ParCredencial,
    *,
    contiendas: tuple | None = None,
    id_boleta: str | None = None,
) -> BoletaCifrada:
    """La boleta con otras contiendas o id, con χ, B_aux, H(B) y la firma recalculados como un elector."""
    ctx = muestra.contexto
    contiendas = boleta.contiendas if contiendas is None else contiendas
    id_boleta = boleta.id_boleta if id_boleta is None else id_boleta
    aux = datos_auxiliares(ctx, id_boleta, boleta.estilo, credencial.publica)
    codigo = codigo_confirmacion(ctx, (c.hash_contienda for c in contiendas), aux)
    firma = firmar(ctx.h_e, credencial.secreta, credencial.publica, codigo)
    return BoletaCifrada(id_boleta, boleta.estilo, contiendas, codigo, credencial.publica, firma)


def _credencial_de(muestra: hr.RegistroMuestra, boleta: BoletaCifrada) -> ParCredencial:
    return muestra.credenciales[hr.en_json(boleta.credencial)]


def _depositadas_por_estilo(lineas: Lineas, estilo: str) -> list[int]:
    return [i for i in hr.posiciones(lineas, "boleta_cifrada") if lineas[i]["objeto"]["estilo"] == estilo]


def _credencial_nueva(semilla: str) -> ParCredencial:
    with con_semilla(semilla):
        return generar_credencial(GRUPO_ESTANDAR)


def _informe(directorio: Path, lineas: Lineas) -> Informe | None:
    """Escribe y verifica; ``None`` si el registro es ilegible (salida 2)."""
    try:
        return hr.verificar(hr.escribir_lineas(directorio, lineas))
    except ErrorEntrada:
        return None


def _escribir_y_verificar(directorio: Path, lineas: Lineas) -> set[str] | None:
    informe = _informe(directorio, lineas)
    return None if informe is None else hr.fallidas(informe)


def _comprobar(
    tmp_path: Path,
    lineas: Lineas,
    esperadas: set[str],
    *,
    cruda: bool = True,
    forjada: bool = True,
    no_fallan: set[str] = frozenset(),  # type: ignore[assignment]
) -> Informe:
    """Verifica la variante cruda y la forjada; devuelve el informe de la forjada (o de la cruda)."""
    resultados: dict[str, Informe] = {}
    if cruda:
        informe = _informe(tmp_path / "cruda", copy.deepcopy(lineas))
        assert informe is not None, "la variante cruda no debería ser ilegible"
        f = hr.fallidas(informe)
        assert {"V-T1"} | esperadas <= f, f"cruda: faltan {({'V-T1'} | esperadas) - f}; fallan {sorted(f)}"
        assert not (no_fallan & f), f"cruda: fallan de más {sorted(no_fallan & f)}"
        resultados["cruda"] = informe
    if forjada:
        informe = _informe(tmp_path / "forjada", hr.forjar(lineas))
        assert informe is not None, "la variante forjada no debería ser ilegible"
        f = hr.fallidas(informe)
        assert "V-T1" not in f, "la cadena forjada debería pasar V-T1"
        assert esperadas <= f, f"forjada: faltan {esperadas - f}; fallan {sorted(f)}"
        assert not (no_fallan & f), f"forjada: fallan de más {sorted(no_fallan & f)}"
        resultados["forjada"] = informe
    return resultados["forjada" if forjada else "cruda"]


#: Comprobaciones de cada boleta (pasan si la boleta manipulada es válida por sí sola).
POR_BOLETA = {"V-T2", "V-G", "V-B1", "V5", "V6", "V7.A", "V7.B", "V-C1"}


# -- pruebas de las boletas ---------------------------------------------------------------------------
def test_respuesta_de_prueba_de_rango_alterada(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    posicion = hr.posiciones(lineas, "boleta_cifrada")[0]
    prueba = lineas[posicion]["objeto"]["contiendas"][0]["selecciones"][0]["prueba"]
    prueba["respuestas"][0] = hr.mas_uno_q(prueba["respuestas"][0])
    informe = _comprobar(tmp_path, lineas, {"V5"}, no_fallan={"V6", "V7.A", "V7.B", "V-C1", "V-B2"})
    # La boleta inválida no entra en el producto (V8); la prueba de la opción 1 se nombra.
    assert "V8" in hr.fallidas(informe)
    (falla,) = informe.fallas("V5")
    assert falla.objeto["linea"] == posicion + 1 and falla.objeto["opcion"] == 1
    assert falla.motivo == "prueba_rango_invalida"


def test_reto_de_prueba_de_limite_alterado(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    posicion = hr.posiciones(lineas, "boleta_cifrada")[1]
    prueba = lineas[posicion]["objeto"]["contiendas"][0]["prueba_limite"]
    prueba["retos"][-1] = hr.mas_uno_q(prueba["retos"][-1])
    _comprobar(tmp_path, lineas, {"V6"}, no_fallan={"V5", "V7.A", "V7.B", "V-C1"})


def test_dos_selecciones_intercambiadas(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Las pruebas de rango no dependen de la posición y el producto no cambia: lo delata χ (V7.A)."""
    lineas = muestra.lineas()
    posicion = hr.posiciones(lineas, "boleta_cifrada")[0]
    selecciones = lineas[posicion]["objeto"]["contiendas"][0]["selecciones"]
    selecciones[0], selecciones[1] = selecciones[1], selecciones[0]
    informe = _comprobar(tmp_path, lineas, {"V7.A"}, no_fallan={"V5", "V6", "V7.B", "V-C1", "V-B2"})
    assert "V8" in hr.fallidas(informe)


def test_firma_de_otra_boleta(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    a, b = hr.posiciones(lineas, "boleta_cifrada")[:2]
    lineas[b]["objeto"]["firma"] = copy.deepcopy(lineas[a]["objeto"]["firma"])
    _comprobar(tmp_path, lineas, {"V-C1"}, no_fallan={"V5", "V6", "V7.A", "V7.B"})


# -- cifrados copiados y boletas replicadas ---------------------------------------------------------------
def test_cifrado_de_otra_boleta_copiado_sin_recalcular(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Copiar una selección (cifrado y prueba) a otra boleta: V-B2, y rompe χ o la prueba de límite."""
    lineas = muestra.lineas()
    a, b = _depositadas_por_estilo(lineas, "JAL")[:2]
    origen = lineas[a]["objeto"]["contiendas"][0]["selecciones"]
    destino = lineas[b]["objeto"]["contiendas"][0]["selecciones"]
    destino[4] = copy.deepcopy(origen[4])
    informe = _comprobar(tmp_path, lineas, {"V-B2"})
    assert hr.fallidas(informe) & {"V6", "V7.A"}


def test_contienda_replicada_en_boleta_refirmada(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """El ataque de réplica de §14.5.2: un elector copia la contienda de otro (con sus pruebas), recalcula
    χ, B_aux y H(B) y firma con su propia credencial.  Todo verifica salvo V-B2."""
    lineas = muestra.lineas()
    a, b = _depositadas_por_estilo(lineas, "JAL")[:2]
    ajena, propia = _boleta(lineas, a), _boleta(lineas, b)
    contiendas = (ajena.contiendas[0], *propia.contiendas[1:])
    _reemplazar(lineas, b, _refirmada(muestra, propia, _credencial_de(muestra, propia), contiendas=contiendas))
    informe = _comprobar(tmp_path, lineas, {"V-B2"}, no_fallan=POR_BOLETA | {"V-C3", "V7.C", "V-C4", "V12.C"})
    # El escrutinio publicado ya no es el producto de las boletas publicadas.
    assert "V8" in hr.fallidas(informe)
    fallas = informe.fallas("V-B2")
    assert fallas and {f.objeto["linea"] for f in fallas} == {b + 1}
    assert {f.motivo for f in fallas} == {"cifrado_repetido"}


def test_boleta_desafiada_replicada_con_otro_id(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """El contenido de una boleta desafiada es público: depositarlo con un id y código nuevos lo delata V-B2
    (V12.C no, porque id y código son distintos)."""
    lineas = muestra.lineas()
    desafiada = _boleta(lineas, hr.posiciones(lineas, "boleta_desafiada")[0])
    credencial = _credencial_de(muestra, desafiada)
    (posicion,) = [
        i
        for i in hr.posiciones(lineas, "boleta_cifrada")
        if lineas[i]["objeto"]["credencial"] == hr.en_json(credencial.publica)
    ]
    replica = _refirmada(muestra, desafiada, credencial, id_boleta="AB" * 16)
    _reemplazar(lineas, posicion, replica)
    _comprobar(tmp_path, lineas, {"V-B2"}, no_fallan=POR_BOLETA | {"V-C3", "V7.C", "V-C4", "V12.C"})


def test_boleta_duplicada(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    depositadas = hr.posiciones(lineas, "boleta_cifrada")
    duplicada = copy.deepcopy(lineas[depositadas[2]])
    duplicada["entrada"]["tiempo"] = lineas[depositadas[-1]]["entrada"]["tiempo"]  # horas no decrecientes
    lineas.insert(depositadas[-1] + 1, duplicada)
    informe = _comprobar(tmp_path, lineas, {"V7.C", "V-B2", "V-C4"}, no_fallan=POR_BOLETA | {"V-C3", "V12.C"})
    assert {f.motivo for f in informe.fallas("V7.C")} == {"repetido"}  # id y código (§14.5.3)
    assert len(informe.fallas("V7.C")) == 2
    # El duplicado es válido por sí solo, así que entra al producto: el escrutinio ya no cuadra.
    assert {"V8", "V-A2"} <= hr.fallidas(informe)


# -- boletas quitadas, añadidas o contadas de más ---------------------------------------------------------
def test_boleta_depositada_quitada_del_tablero(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    del lineas[hr.posiciones(lineas, "boleta_cifrada")[3]]
    informe = _comprobar(tmp_path, lineas, {"V8", "V-A2"})
    # Nada más la delata: la boleta quitada no deja rastro salvo en el escrutinio y el acta.
    assert hr.fallidas(informe) == {"V8", "V-A2"}
    assert {f.motivo for f in informe.fallas("V8")} >= {"boletas", "producto"}
    assert {f.objeto["campo"] for f in informe.fallas("V-A2")} == {"boletas_depositadas"}


def test_boleta_en_el_escrutinio_que_no_esta_en_el_tablero(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """El escrutinio publicado incluye una boleta que no está en el tablero (N_c + 1 y sus cifrados)."""
    lineas = muestra.lineas()
    ctx = muestra.contexto
    posicion = hr.posiciones(lineas, "escrutinio_cifrado")[0]
    escrutinio = hr.documento(lineas, posicion, EscrutinioCifrado)
    with con_semilla("vmre-pruebas/registro/boleta-fantasma"):
        fantasma = cifrar_boleta(ctx, "CHIH", {1: (7,)}, _credencial_nueva("fantasma")).boleta
    contiendas = []
    for contienda in escrutinio.contiendas:
        propia = [c for c in fantasma.contiendas if c.indice == contienda.indice]
        if propia:
            cifrados = tuple(
                Cifrado(x.alfa * s.cifrado.alfa, x.beta * s.cifrado.beta)
                for x, s in zip(contienda.cifrados, propia[0].selecciones, strict=True)
            )
            contienda = dataclasses.replace(contienda, boletas=contienda.boletas + 1, cifrados=cifrados)
        contiendas.append(contienda)
    _reemplazar(lineas, posicion, EscrutinioCifrado(tuple(contiendas)))
    informe = _comprobar(tmp_path, lineas, {"V8"})
    # Los mensajes de descifrado y el acta siguen ligados al escrutinio original.
    assert {"V-D1", "V-A2"} <= hr.fallidas(informe)
    v8 = informe.fallas("V8")
    assert {f.objeto["contienda"] for f in v8} == {1}
    assert {f.motivo for f in v8} == {"boletas", "producto"}


def test_credencial_no_inscrita(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Una boleta válida y bien firmada, pero con una credencial que no está en la lista."""
    lineas = muestra.lineas()
    posicion = hr.posiciones(lineas, "boleta_cifrada")[4]
    propia = _boleta(lineas, posicion)
    intrusa = _credencial_nueva("intrusa")
    _reemplazar(lineas, posicion, _refirmada(muestra, propia, intrusa))
    _comprobar(tmp_path, lineas, {"V-C3"}, no_fallan=POR_BOLETA | {"V-C4", "V7.C", "V-B2", "V8"})


def test_credencial_anadida_a_la_lista(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Quien añade su credencial a la lista (recalculando N, H_C y la cadena) no puede rehacer el acta
    de inicio que ya se entregó: V-A1 (hash_credenciales) la delata, y su boleta pasa V-C3."""
    lineas = muestra.lineas()
    intrusa = _credencial_nueva("intrusa")
    parte = lineas[hr.posiciones(lineas, "parte_credenciales")[0]]["objeto"]
    publicas = sorted([*parte["publicas"], hr.en_json(intrusa.publica)], key=lambda x: int(x, 16))
    parte["publicas"] = publicas
    encabezado = lineas[hr.posiciones(lineas, "lista_credenciales")[0]]["objeto"]
    encabezado["cantidad"] = len(publicas)
    elementos = [GRUPO_ESTANDAR.p_elemento(int(x, 16)) for x in publicas]
    encabezado["hash_lista"] = hr.en_json(hash_lista_credenciales(hr.H_P, elementos))
    with con_semilla("vmre-pruebas/registro/boleta-intrusa"):
        boleta = cifrar_boleta(muestra.contexto, "ZAC", {3: (1,)}, intrusa).boleta
    _insertar(lineas, hr.posiciones(lineas, "boleta_cifrada")[-1] + 1, boleta)
    informe = _comprobar(tmp_path, lineas, {"V-A1"}, no_fallan=POR_BOLETA | {"V-C2", "V-C3", "V-C4", "V-B2"})
    assert {f.objeto["campo"] for f in informe.fallas("V-A1")} == {"hash_credenciales"}
    # Fuera del acta de inicio, solo la delatan el escrutinio y el acta de cómputo (que no la cuentan).
    assert hr.fallidas(informe) == {"V-A1", "V8", "V-A2"}


def test_dos_boletas_depositadas_con_la_misma_credencial(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Una segunda boleta, nueva y válida, firmada con una credencial inscrita que ya votó."""
    lineas = muestra.lineas()
    depositadas = hr.posiciones(lineas, "boleta_cifrada")
    credencial = _credencial_de(muestra, _boleta(lineas, depositadas[5]))
    with con_semilla("vmre-pruebas/registro/segunda-boleta"):
        segunda = cifrar_boleta(muestra.contexto, "JAL", {2: (3,), 4: (1, 4)}, credencial).boleta
    _insertar(lineas, depositadas[-1] + 1, segunda)
    informe = _comprobar(tmp_path, lineas, {"V-C4"}, no_fallan=POR_BOLETA | {"V-C3", "V7.C", "V-B2", "V12.C"})
    assert {"V8", "V-A2"} <= hr.fallidas(informe)
    (falla,) = informe.fallas("V-C4")
    assert falla.motivo == "credencial_repetida" and falla.objeto["boleta"] == segunda.id_boleta


def test_boleta_desafiada_tambien_depositada(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """El servidor deposita la boleta que el elector desafió (en lugar de la que depositó)."""
    lineas = muestra.lineas()
    desafiada = _boleta(lineas, hr.posiciones(lineas, "boleta_desafiada")[0])
    (posicion,) = [
        i
        for i in hr.posiciones(lineas, "boleta_cifrada")
        if lineas[i]["objeto"]["credencial"] == hr.en_json(desafiada.credencial)
    ]
    _reemplazar(lineas, posicion, desafiada)
    _comprobar(tmp_path, lineas, {"V12.C", "V7.C"}, no_fallan=POR_BOLETA | {"V-C3", "V-C4"})


def test_boleta_desafiada_depositada_antes_de_desafiarse(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """V12.C en cualquier orden: la copia depositada aparece antes de la desafiada."""
    lineas = muestra.lineas()
    posicion = hr.posiciones(lineas, "boleta_desafiada")[1]
    desafiada = _boleta(lineas, posicion)
    _insertar(lineas, posicion, desafiada)
    _comprobar(tmp_path, lineas, {"V12.C", "V7.C"})


def test_apertura_de_otra_boleta(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    a, b = hr.posiciones(lineas, "boleta_desafiada")
    lineas[b]["objeto"]["apertura"]["nonce_boleta"] = lineas[a]["objeto"]["apertura"]["nonce_boleta"]
    _comprobar(tmp_path, lineas, {"V12"}, no_fallan={"V5", "V6", "V7.A", "V7.B", "V-C1"})


# -- descifrado y resultados ------------------------------------------------------------------------------------
def test_conteo_del_resultado_cambiado(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    opcion = lineas[hr.posiciones(lineas, "resultado_descifrado")[0]]["objeto"]["opciones"][1]
    opcion["conteo"] += 1
    informe = _comprobar(tmp_path, lineas, {"V10", "V-A2"}, no_fallan={"V9", "V-D2"})
    assert hr.fallidas(informe) == {"V10", "V-A2"}


def test_conteo_cambiado_en_resultado_y_acta(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Aun con el acta de cómputo rehecha para concordar, el conteo falso no cumple B·M⁻¹ = K^t."""
    lineas = muestra.lineas()
    opcion = lineas[hr.posiciones(lineas, "resultado_descifrado")[0]]["objeto"]["opciones"][1]
    opcion["conteo"] += 1
    acta = lineas[hr.posiciones(lineas, "acta_computo")[0]]["objeto"]
    assert (acta["resultados"][0]["contienda"], opcion["contienda"], opcion["opcion"]) == (1, 1, 2)
    acta["resultados"][0]["conteos"][1] += 1
    informe = _comprobar(tmp_path, lineas, {"V10"}, no_fallan={"V9", "V-D2", "V-A2"})
    assert hr.fallidas(informe) == {"V10"}


def test_particion_m_i_de_un_descifrado_parcial_cambiada(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    parcial = lineas[hr.posiciones(lineas, "descifrado_parcial")[1]]["objeto"]
    parcial["partes"][5]["m"] = hr.por_g(parcial["partes"][5]["m"])
    informe = _comprobar(tmp_path, lineas, {"V-D2"}, no_fallan={"V-G", "V9", "V10", "V-A2"})
    assert hr.fallidas(informe) == {"V-D2"}
    motivos = {f.motivo for f in informe.fallas("V-D2")}
    assert {"reto", "m", "prueba_descifrado_invalida"} <= motivos
    custodio = parcial["custodio"]
    assert any(f.objeto.get("custodio") == custodio for f in informe.fallas("V-D2"))


def test_respuesta_de_un_custodio_cambiada(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    respuesta = lineas[hr.posiciones(lineas, "respuesta_descifrado")[2]]["objeto"]
    respuesta["respuestas"][0] = hr.mas_uno_q(respuesta["respuestas"][0])
    informe = _comprobar(tmp_path, lineas, {"V-D2"})
    assert hr.fallidas(informe) == {"V-D2"}


def test_m_del_resultado_cambiado(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    opcion = lineas[hr.posiciones(lineas, "resultado_descifrado")[0]]["objeto"]["opciones"][0]
    opcion["m"] = hr.por_g(opcion["m"])
    _comprobar(tmp_path, lineas, {"V-D2", "V9", "V10"})


def test_resultado_del_acta_de_computo_cambiado(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    acta = lineas[hr.posiciones(lineas, "acta_computo")[0]]["objeto"]
    acta["resultados"][2]["conteos"][0] += 1
    informe = _comprobar(tmp_path, lineas, {"V-A2"})
    assert hr.fallidas(informe) == {"V-A2"}
    assert {f.objeto["campo"] for f in informe.fallas("V-A2")} == {"resultados"}


@pytest.mark.parametrize(
    ("campo", "cambio"),
    [
        ("boletas_depositadas", lambda v: v - 1),
        ("boletas_desafiadas", lambda v: v + 1),
        ("cuorum", lambda v: [*v[:-1], v[-1] + 1] if v[-1] < 5 else [v[0] - 1, *v[1:]]),
        ("h_e", hr.mas_uno_q),
        ("hash_escrutinio", lambda v: "0" * 64),
    ],
)
def test_campo_del_acta_de_computo_cambiado(
    muestra: hr.RegistroMuestra, tmp_path: Path, campo: str, cambio: Callable[[object], object]
) -> None:
    lineas = muestra.lineas()
    acta = lineas[hr.posiciones(lineas, "acta_computo")[0]]["objeto"]
    acta[campo] = cambio(acta[campo])
    informe = _comprobar(tmp_path, lineas, {"V-A2"}, cruda=False)
    assert hr.fallidas(informe) == {"V-A2"}


# -- ceremonia, configuración y actas --------------------------------------------------------------------------
def test_compromiso_de_custodio_cambiado(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """K_21 · g: la prueba de Schnorr del coeficiente ya no verifica (V2) y el registro de llaves
    recalculado (llaves de verificación, H_R) ya no es el publicado (V3-V4) ni el del acta (V-A1)."""
    lineas = muestra.lineas()
    mensaje = lineas[hr.posiciones(lineas, "compromisos_custodio")[1]]["objeto"]
    mensaje["compromisos"][1] = hr.por_g(mensaje["compromisos"][1])
    informe = _comprobar(tmp_path, lineas, {"V2", "V3-V4", "V-A1"})
    assert {f.objeto["linea"] for f in informe.fallas("V2")} == {hr.posiciones(lineas, "compromisos_custodio")[1] + 1}
    # K = ∏ K_i0 no cambió: las boletas y el descifrado siguen verificando.
    assert not hr.fallidas(informe) & {"V5", "V6", "V7.A", "V9", "V10"}


def test_compromiso_k_i0_cambiado(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """K_10 · g cambia la llave conjunta K recalculada: falla todo lo que depende de K y H_E."""
    lineas = muestra.lineas()
    mensaje = lineas[hr.posiciones(lineas, "compromisos_custodio")[0]]["objeto"]
    mensaje["compromisos"][0] = hr.por_g(mensaje["compromisos"][0])
    _comprobar(tmp_path, lineas, {"V2", "V3-V4", "V-A1", "V5", "V8", "V9"})


def test_etiqueta_del_manifiesto_cambiada(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """H_M y H_B cambian: el acta de inicio lo delata (V1) y, como H_E = H(H_B; …) cambia, nada de lo
    que sigue verifica (registro de llaves, pruebas de cada boleta, descifrado)."""
    lineas = muestra.lineas()
    opcion = lineas[0]["objeto"]["manifiesto"]["contiendas"][0]["opciones"][0]
    opcion["etiqueta"] = "PAN."
    informe = _comprobar(tmp_path, lineas, {"V1", "V3-V4", "V-A1", "V5", "V8", "V9", "V-A2"})
    assert {f.objeto["campo"] for f in informe.fallas("V1")} == {"h_m", "h_b"}
    assert "V-T2" not in hr.fallidas(informe)


def _sin_caerse(tmp_path: Path, lineas: Lineas) -> None:
    """Cruda y forjada: ilegible (salida 2) o con V2/V3-V4 fallando, nunca una excepción."""
    for nombre, variante in (("cruda", copy.deepcopy(lineas)), ("forjada", hr.forjar(lineas))):
        informe = _informe(tmp_path / nombre, variante)
        assert informe is None or {"V2", "V3-V4"} & hr.fallidas(informe)


@pytest.mark.parametrize("quedan", [2, 0])
def test_compromisos_con_menos_de_k_valores(muestra: hr.RegistroMuestra, tmp_path: Path, quedan: int) -> None:
    """k − 1 compromisos o ninguno: construir_registro lo rechaza (registro ilegible o V2/V3-V4), sin caerse."""
    lineas = muestra.lineas()
    mensaje = lineas[hr.posiciones(lineas, "compromisos_custodio")[1]]["objeto"]
    del mensaje["compromisos"][quedan:]
    del mensaje["pruebas"][quedan:]
    _sin_caerse(tmp_path, lineas)


def test_cuorum_de_la_configuracion_aumentado(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """k = 4 ≤ n = 5 es una configuración válida, pero los compromisos publicados traen 3 valores."""
    lineas = muestra.lineas()
    lineas[0]["objeto"]["cuorum"] += 1
    _sin_caerse(tmp_path, lineas)


@pytest.mark.parametrize("campo", ["h_p", "h_m", "h_b", "h_e", "hash_registro_llaves", "hash_credenciales"])
def test_campo_del_acta_de_inicio_cambiado(muestra: hr.RegistroMuestra, tmp_path: Path, campo: str) -> None:
    lineas = muestra.lineas()
    acta = lineas[hr.posiciones(lineas, "acta_inicio")[0]]["objeto"]
    acta[campo] = hr.mas_uno_q(acta[campo]) if campo != "h_p" else "0" * 64
    esperada = "V1" if campo in ("h_p", "h_m", "h_b") else "V-A1"
    informe = _comprobar(tmp_path, lineas, {esperada}, cruda=False)
    assert hr.fallidas(informe) == {esperada}


# -- la cadena ---------------------------------------------------------------------------------------------
def _exigir(informe: Informe | None) -> Informe:
    assert informe is not None, "el registro no debería ser ilegible"
    return informe


def test_enlace_roto(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    posicion = hr.posiciones(lineas, "boleta_cifrada")[2]
    lineas[posicion]["entrada"]["hash_anterior"] = hr.mas_uno_q(lineas[posicion]["entrada"]["hash_anterior"])
    informe = _exigir(_informe(tmp_path, lineas))
    assert hr.fallidas(informe) == {"V-T1"}
    assert {(x.objeto["linea"], x.motivo) for x in informe.fallas("V-T1")} == {
        (posicion + 1, "enlace"),
        (posicion + 1, "hash_entrada"),
    }


def test_cadena_reordenada(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Dos boletas intercambiadas con sus entradas: índices, enlaces y horas delatan el cambio."""
    lineas = muestra.lineas()
    a, b = hr.posiciones(lineas, "boleta_cifrada")[2:4]
    lineas[a], lineas[b] = lineas[b], lineas[a]
    cruda = _exigir(_informe(tmp_path / "cruda", lineas))
    assert hr.fallidas(cruda) == {"V-T1"}
    assert {"indice", "enlace", "tiempo"} <= {x.motivo for x in cruda.fallas("V-T1")}
    # Rehecha la cadena, las horas (que viajan con su entrada) quedan fuera de orden.
    forjada = _exigir(_informe(tmp_path / "forjada", hr.forjar(lineas)))
    assert hr.fallidas(forjada) == {"V-T1"}
    assert {x.motivo for x in forjada.fallas("V-T1")} == {"tiempo"}


def test_cadena_reordenada_con_horas_intactas_solo_la_delatan_las_actas(
    muestra: hr.RegistroMuestra, tmp_path: Path
) -> None:
    """§14.4.3: quien intercambia dos boletas dejando las horas en su sitio y rehace cadena y acta produce
    un archivo internamente consistente (el verificador no puede saber en qué orden llegaron); lo
    delata solo la cabeza del acta de cómputo ya entregada."""
    lineas = muestra.lineas()
    a, b = hr.posiciones(lineas, "boleta_cifrada")[2:4]
    lineas[a]["objeto"], lineas[b]["objeto"] = lineas[b]["objeto"], lineas[a]["objeto"]
    forjadas = hr.forjar(lineas)
    assert _escribir_y_verificar(tmp_path / "forjada", forjadas) == set()
    acta_original = muestra.lineas()[-1]["objeto"]
    assert forjadas[-1]["objeto"]["cabeza_tablero"] != acta_original["cabeza_tablero"]
    # Con el acta que se entregó (sin parchar), la cadena rehecha no concuerda con ella.
    sin_parchar = _exigir(_informe(tmp_path / "acta_entregada", hr.rehacer_cadena(copy.deepcopy(lineas))))
    assert hr.fallidas(sin_parchar) == {"V-A2"}
    assert {f.objeto["campo"] for f in sin_parchar.fallas("V-A2")} == {"cabeza_tablero"}


def test_cadena_rehecha_sin_parchar_las_actas(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Una boleta quitada y la cadena rehecha, pero con las actas originales: V-A2 (cabeza y entradas)."""
    lineas = muestra.lineas()
    del lineas[hr.posiciones(lineas, "boleta_cifrada")[0]]
    informe = _exigir(_informe(tmp_path, hr.rehacer_cadena(lineas)))
    assert hr.fallidas(informe) == {"V8", "V-A2"}
    assert {f.objeto["campo"] for f in informe.fallas("V-A2")} == {"cabeza_tablero", "entradas", "boletas_depositadas"}


def test_credenciales_cambiadas_antes_del_acta_de_inicio(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Cadena rehecha tras quitar una credencial de la lista, sin parchar el acta de inicio."""
    lineas = muestra.lineas()
    parte = lineas[hr.posiciones(lineas, "parte_credenciales")[0]]["objeto"]
    del parte["publicas"][0]
    informe = _exigir(_informe(tmp_path, hr.rehacer_cadena(lineas)))
    assert {"V-C2", "V-A1", "V-C3", "V-A2"} <= hr.fallidas(informe)
    assert {"cabeza_tablero", "hash_credenciales"} <= {f.objeto["campo"] for f in informe.fallas("V-A1")}


# -- registro incompleto o con documentos fuera de lugar ------------------------------------------------------------
@pytest.mark.parametrize(
    ("ultimo_tipo", "fase"),
    [
        ("resultado_descifrado", "acta_computo"),
        ("boleta_cifrada", "escrutinio"),
        ("acta_inicio", "escrutinio"),
        ("registro_llaves", "lista"),
    ],
)
def test_registro_truncado(muestra: hr.RegistroMuestra, tmp_path: Path, ultimo_tipo: str, fase: str) -> None:
    """Sin acta de cómputo (o cortado antes): V-T2 registro_incompleto, nombrando la fase."""
    lineas = muestra.lineas()
    corte = hr.posiciones(lineas, ultimo_tipo)[-1] + 1
    informe = _exigir(_informe(tmp_path, lineas[:corte]))
    assert hr.fallidas(informe) == {"V-T2"}
    (falla,) = informe.fallas("V-T2")
    assert falla.motivo == "registro_incompleto" and falla.objeto["fase"] == fase


def test_documento_fuera_de_orden(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Una boleta después del escrutinio (cadena rehecha): V-T2 fuera_de_orden."""
    lineas = muestra.lineas()
    posicion = hr.posiciones(lineas, "boleta_cifrada")[-1]
    boleta = lineas.pop(posicion)  # ahora el escrutinio ocupa «posicion»
    boleta["entrada"]["tiempo"] = lineas[posicion]["entrada"]["tiempo"]
    lineas.insert(posicion + 1, boleta)
    informe = _exigir(_informe(tmp_path, hr.forjar(lineas)))
    assert "V-T2" in hr.fallidas(informe)
    assert "fuera_de_orden" in {x.motivo for x in informe.fallas("V-T2")}


def test_parte_de_credenciales_dividida(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """La misma lista en dos partes de 4 (P ≠ ⌈N/1000⌉): H_C no cambia, pero §14.5.2 V-C2 exige que cada
    parte tenga 1000 credenciales salvo la última."""
    lineas = muestra.lineas()
    posicion = hr.posiciones(lineas, "parte_credenciales")[0]
    parte = lineas[posicion]
    segunda = copy.deepcopy(parte)
    mitad = len(parte["objeto"]["publicas"]) // 2
    segunda["objeto"]["publicas"] = parte["objeto"]["publicas"][mitad:]
    segunda["objeto"]["parte"] = 2
    parte["objeto"]["publicas"] = parte["objeto"]["publicas"][:mitad]
    lineas.insert(posicion + 1, segunda)
    lineas[hr.posiciones(lineas, "lista_credenciales")[0]]["objeto"]["partes"] = 2
    informe = _exigir(_informe(tmp_path, hr.forjar(lineas)))
    assert hr.fallidas(informe) == {"V-C2"}
    assert {f.motivo for f in informe.fallas("V-C2")} == {"cantidad"}
