"""``python -m benchmarks [--json] [--repeticiones N] [--boletas-registro B]``: cifras de vmre_crypto en pe.

Todo corre en un solo proceso (salvo la verificación del registro con 2 procesos) sobre la
boleta «gubernatura-10» con un contexto salido de una ceremonia real de 5 custodios y cuórum
3.  Las tablas de base fija de g y de K se construyen antes de medir; su costo se informa
aparte.  La verificación de un registro
publicado completo (``verificar_registro``) se mide sobre registros escritos una vez en un
directorio temporal, con 1 proceso y con 2.  Con ``--json`` se imprime un único objeto JSON
en la salida estándar; sin él, una tabla legible.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gmpy2 import mpz

from vmre_crypto import (
    BoletaCifrada,
    acumular,
    ceremonia_en_proceso,
    descifrar_en_proceso,
    deserializar,
    serializar,
    verificar_boleta,
    verificar_resultado,
)
from vmre_crypto.primitivas import _aritmetica as ar
from vmre_crypto.registro.escritor import ARCHIVO_TABLERO
from vmre_crypto.verificador.verificar import verificar_registro

from . import escenario as esc
from .medicion import a_pe, carga_1min, info_maquina, medir, medir_muestras, muestras_pe

#: Objetivos del proyecto, en pe (cada cifra debe quedar por debajo o igual).
OBJETIVOS: dict[str, float] = {
    "encrypt_ballot_pe": 12,
    "verify_ballot_pe": 55,
    "tally_1000_pe": 100,
    "decrypt_tally_3of5_pe": 150,
    "key_ceremony_5of3_pe": 60,
    "verify_record_ballot_pe": 60,
}

#: Las mismas cifras medidas con electionguard-python 1.4.0 (referencia de comparación), en pe.
PAR_ELECTIONGUARD_PYTHON: dict[str, float] = {
    "encrypt_ballot_pe": 114,
    "verify_ballot_pe": 182,
    "tally_1000_pe": 1235,
    "decrypt_tally_3of5_pe": 1466,
    "key_ceremony_5of3_pe": 183,
}

DESCRIPCIONES: dict[str, str] = {
    "encrypt_ballot_pe": "Cifrar boleta gubernatura-10 (con firma)",
    "verify_ballot_pe": "Verificar boleta (decodificar + verificar)",
    "tally_1000_pe": "Escrutinio homomórfico de 1000 boletas",
    "decrypt_tally_3of5_pe": "Descifrar escrutinio, 3 de 5 + verificación",
    "key_ceremony_5of3_pe": "Ceremonia de llaves, 5 custodios, cuórum 3",
    "verify_record_ballot_pe": "Verificar registro: costo marginal por boleta",
}

EXTRAS: dict[str, str] = {
    "tabla_base_fija_construccion_pe": "Construir una tabla de base fija (g o K)",
    "g_fija_pe": "Una potencia de base fija g^x (con tabla)",
    "verify_ballot_sin_decodificar_pe": "Verificar boleta ya decodificada",
    "deserializar_boleta_pe": "Solo decodificar boleta (con pertenencia por lotes)",
    "verificar_resultado_auditor_pe": "Verificar el resultado publicado (V9, V10), 10 opciones",
    "key_ceremony_por_custodio_pe": "Ceremonia: trabajo del custodio más cargado (su máquina)",
    "key_ceremony_coordinador_pe": "Ceremonia: trabajo del coordinador (servidor)",
}

#: Cifras de la verificación del registro publicado (tabla legible).
REGISTRO: dict[str, str] = {
    "verify_record_total_pe": "Verificar el registro completo, 1 proceso",
    "verify_record_1_boleta_pe": "Verificar un registro de 1 boleta (costo fijo), 1 proceso",
    "verify_record_2_procesos_pe": "Verificar el registro completo, 2 procesos",
}

REPETICIONES_POR_OMISION = 9
#: Boletas depositadas del registro publicado que se verifica (``--boletas-registro``).
BOLETAS_REGISTRO_POR_OMISION = 60
#: Muestras de pe en cada lote intercalado entre cifras.
LOTE_PE = 61


def medir_registro(
    eleccion: esc.Eleccion, boletas: int, repeticiones: int, entre: Callable[[], None] = lambda: None
) -> dict[str, Any]:
    """Tiempos (s) de ``verificar_registro`` sobre registros publicados completos de gubernatura-10.

    Escribe una sola vez, sin cronometrar y en un directorio temporal, dos registros con la
    ceremonia de ``eleccion`` (``escenario.escribir_registro``): uno con ``boletas`` boletas y
    otro con 1.  En cada repetición verifica el grande con 1 proceso, el de 1 boleta con 1
    proceso y el grande con 2 procesos, intercalados (la primera repetición es de
    calentamiento y no cuenta), y llama a ``entre`` tras cada una.  Cada informe debe estar
    en orden, y el de 2 procesos ser idéntico al de 1.  Devuelve las medianas en segundos y el
    tamaño del tablero grande en bytes.
    """
    if boletas < 2:
        raise ValueError("el registro medido necesita al menos 2 boletas")
    with tempfile.TemporaryDirectory(prefix="vmre-bench-registro-") as temporal:
        grande, uno = Path(temporal) / "grande", Path(temporal) / "uno"
        esc.escribir_registro(eleccion, grande, boletas)
        esc.escribir_registro(eleccion, uno, 1)
        informes: dict[str, dict[str, Any]] = {}

        def verificar(clave: str, directorio: Path, procesos: int) -> None:
            informe = verificar_registro(directorio, procesos=procesos)
            if not informe.ok:
                raise AssertionError(f"el registro medido no verifica:\n{informe.como_texto()}")
            informes[clave] = informe.como_dict()

        casos = (("grande_1", grande, 1), ("uno_1", uno, 1), ("grande_2", grande, 2))
        tiempos: dict[str, list[float]] = {clave: [] for clave, _, _ in casos}
        for repeticion in range(1 + repeticiones):
            for clave, directorio, procesos in casos:
                (t,) = medir_muestras(lambda c=clave, d=directorio, p=procesos: verificar(c, d, p), 1, calentamiento=0)
                if repeticion:
                    tiempos[clave].append(t)
            entre()
        if informes["grande_1"] != informes["grande_2"]:
            raise AssertionError("el informe con 2 procesos difiere del informe con 1")
        depositadas = {c["id"]: c["revisados"] for c in informes["grande_1"]["checks"]}["V-C4"]
        if depositadas != boletas:
            raise AssertionError(f"el verificador revisó {depositadas} boletas, no {boletas}")
        bytes_tablero = (grande / ARCHIVO_TABLERO).stat().st_size
    salida: dict[str, Any] = {clave: statistics.median(v) for clave, v in tiempos.items()}
    salida["bytes_tablero"] = bytes_tablero
    return salida


def correr(
    repeticiones: int = REPETICIONES_POR_OMISION,
    avisar: Callable[[str], None] | None = None,
    boletas_registro: int = BOLETAS_REGISTRO_POR_OMISION,
) -> dict[str, Any]:
    """Corre todas las mediciones y devuelve el objeto de resultados (el mismo que ``--json``)."""
    avisar = avisar or (lambda _texto: None)
    inicio = time.perf_counter()
    carga_inicio = carga_1min()
    n = max(1, repeticiones)

    avisar("Midiendo pe (powmod de 256 bits en el grupo estándar)…")
    pe_inicio = muestras_pe()
    # Más lotes de pe intercalados entre las cifras: la mediana global refleja las mismas
    # condiciones de la máquina (frecuencia, carga) que las mediciones.
    pe_intercaladas: list[float] = []

    def lote_pe() -> None:
        pe_intercaladas.extend(muestras_pe(LOTE_PE))

    grupo = esc.configuracion(esc.manifiesto_gubernatura(10)).grupo()
    p, q, g = grupo.p, grupo.q, grupo.g

    avisar("Tablas de base fija…")
    construccion = medir(lambda: ar.TablaBaseFija(g, p, q), max(3, n // 2))
    tabla_g = grupo.tabla(g)
    g_fija = medir(tabla_g.potencia, max(200, 20 * n), preparar=lambda _i: mpz(secrets.randbits(256)))

    avisar("Ceremonia de referencia (5 custodios, cuórum 3) y tabla de K…")
    eleccion = esc.preparar_eleccion(esc.manifiesto_gubernatura(10))
    contexto = eleccion.contexto

    avisar("Cifrado de boletas…")
    lote_pe()
    cifrado = medir(eleccion.cifrar, 5 * n, preparar=lambda i: i)

    avisar("Verificación de boletas…")
    lote_pe()
    distintas = esc.boletas_distintas(eleccion, 20)
    textos = [serializar(b) for b in distintas]

    def verificar_texto(texto: str) -> None:
        verificar_boleta(contexto, deserializar(texto, BoletaCifrada, grupo))

    verificacion = medir(verificar_texto, 3 * n, preparar=lambda i: textos[i % len(textos)])
    sin_decodificar = medir(
        lambda b: verificar_boleta(contexto, b), 3 * n, preparar=lambda i: distintas[i % len(distintas)]
    )
    decodificacion = medir(
        lambda t: deserializar(t, BoletaCifrada, grupo), 3 * n, preparar=lambda i: textos[i % len(textos)]
    )
    if deserializar(textos[0], BoletaCifrada, grupo) != distintas[0]:
        raise AssertionError("deserializar(serializar(b)) no reproduce la boleta")

    avisar("Escrutinio de 1000 boletas…")
    lote_pe()
    mil = esc.replicar(distintas, 1000)
    escrutinio = acumular(contexto, mil)
    escrutinio_t = medir(lambda: acumular(contexto, mil), n)

    avisar("Descifrado por 3 de 5 custodios…")
    lote_pe()
    llaves = [eleccion.custodios[i - 1].llave() for i in esc.PRESENTES]
    resultados = []

    def descifrar() -> None:
        # El combinador ya verifica la prueba conjunta de cada opción (V9) y calcula t (V10).
        resultados.append(descifrar_en_proceso(contexto, eleccion.registro, llaves, escrutinio))

    descifrado = medir(descifrar, n)
    # Verificación independiente del resultado publicado (lo que hace el auditor).
    verificacion_auditor = medir(lambda: verificar_resultado(contexto, escrutinio, resultados[0]), n)
    esperado = esc.conteos_esperados(eleccion, len(distintas), len(mil))
    if any(r.conteos() != esperado for r in resultados):
        raise AssertionError("los conteos descifrados no coinciden con las boletas")

    avisar("Ceremonia de llaves (5 custodios, cuórum 3)…")
    lote_pe()
    ceremonias = []
    ceremonia = medir(lambda: ceremonias.append(ceremonia_en_proceso(eleccion.configuracion)), n)
    for custodios, _registro, ctx in ceremonias:
        esc.comprobar_ceremonia(custodios, ctx)
    # La misma ceremonia, cronometrando a cada parte por separado (cada una en su máquina).
    por_parte = [esc.ceremonia_por_parte(eleccion.configuracion) for _ in range(n)]
    ceremonia_custodio = statistics.median(max(v for k, v in t.items() if k.startswith("custodio_")) for t in por_parte)
    ceremonia_coordinador = statistics.median(t["coordinador"] for t in por_parte)

    avisar(
        f"Registro publicado de {boletas_registro} boletas: verificación completa con 1 y 2 procesos "
        f"({n + 1} rondas de unos {boletas_registro * 0.085 + 0.5:.0f} s)…"
    )
    lote_pe()
    registro = medir_registro(eleccion, boletas_registro, n, lote_pe)

    avisar("Midiendo pe otra vez…")
    pe_fin = muestras_pe(201)
    pe = statistics.median(pe_inicio + pe_intercaladas + pe_fin)

    figuras = {
        "encrypt_ballot_pe": cifrado,
        "verify_ballot_pe": verificacion,
        "tally_1000_pe": escrutinio_t,
        "decrypt_tally_3of5_pe": descifrado,
        "key_ceremony_5of3_pe": ceremonia,
        # Costo marginal de una boleta más en el registro: (T(B) − T(1)) / (B − 1), 1 proceso.
        "verify_record_ballot_pe": (registro["grande_1"] - registro["uno_1"]) / (boletas_registro - 1),
    }
    extras = {
        "tabla_base_fija_construccion_pe": construccion,
        "g_fija_pe": g_fija,
        "verify_ballot_sin_decodificar_pe": sin_decodificar,
        "deserializar_boleta_pe": decodificacion,
        "verificar_resultado_auditor_pe": verificacion_auditor,
        "key_ceremony_por_custodio_pe": ceremonia_custodio,
        "key_ceremony_coordinador_pe": ceremonia_coordinador,
    }
    salida: dict[str, Any] = {"pe_us": round(pe * 1e6, 2)}
    salida.update({k: round(a_pe(v, pe), 2) for k, v in figuras.items()})
    salida.update({k: round(a_pe(v, pe), 3 if k == "g_fija_pe" else 2) for k, v in extras.items()})
    salida["verify_record_total_pe"] = round(a_pe(registro["grande_1"], pe), 1)
    salida["verify_record_1_boleta_pe"] = round(a_pe(registro["uno_1"], pe), 1)
    salida["verify_record_2_procesos_pe"] = round(a_pe(registro["grande_2"], pe), 1)
    salida["verify_record_speedup_2_procesos"] = round(registro["grande_1"] / registro["grande_2"], 2)
    salida["boletas_registro"] = boletas_registro
    salida["bytes_tablero_registro"] = registro["bytes_tablero"]
    salida["pe_us_inicio"] = round(statistics.median(pe_inicio) * 1e6, 2)
    salida["pe_us_fin"] = round(statistics.median(pe_fin) * 1e6, 2)
    # La aceleración con 2 procesos necesita 2 núcleos libres: con otra carga en la máquina baja a ≈ 1.
    salida["carga_1min"] = {"inicio": carga_inicio, "fin": carga_1min()}
    salida["pe_muestras"] = len(pe_inicio) + len(pe_intercaladas) + len(pe_fin)
    salida["dentro_de_objetivo"] = {k: salida[k] <= OBJETIVOS[k] for k in OBJETIVOS}
    salida["objetivos"] = dict(OBJETIVOS)
    salida["peer_electionguard_python_1_4_0"] = dict(PAR_ELECTIONGUARD_PYTHON)
    salida["repeticiones"] = n
    salida["boleta"] = "gubernatura-10 (1 contienda, 10 opciones, se vota 1)"
    salida["machine"] = info_maquina()
    salida["segundos_totales"] = round(time.perf_counter() - inicio, 1)
    return salida


def tabla_legible(r: dict[str, Any]) -> str:
    m = r["machine"]
    lineas = [
        "vmre_crypto — mediciones de rendimiento",
        f"1 pe = {r['pe_us']:.1f} µs (powmod g^x mod p, x de 256 bits; "
        f"inicio {r['pe_us_inicio']:.1f} µs, fin {r['pe_us_fin']:.1f} µs)",
        f"Python {m['python']}, gmpy2 {m['gmpy2']}, {m['gmp']}, {m['cpus']} CPU ({m['procesador']})",
        f"Boleta: {r['boleta']}; mediana de {r['repeticiones']} repeticiones o más",
        "",
        f"{'Cifra':<46} {'pe':>8} {'objetivo':>9} {'EG-python 1.4.0':>16} {'¿cumple?':>9}",
        "-" * 92,
    ]
    for clave, texto in DESCRIPCIONES.items():
        cumple = "sí" if r["dentro_de_objetivo"][clave] else "NO"
        par = PAR_ELECTIONGUARD_PYTHON.get(clave)
        lineas.append(
            f"{texto:<46} {r[clave]:>8.1f} {'≤ ' + format(OBJETIVOS[clave], 'g'):>9} "
            f"{'—' if par is None else format(par, 'g'):>16} {cumple:>9}"
        )
    lineas += ["", "Cifras informativas:"]
    for clave, texto in EXTRAS.items():
        lineas.append(f"  {texto:<58} {r[clave]:>8.3g} pe")
    lineas += [
        "",
        f"Registro publicado: {r['boletas_registro']} boletas gubernatura-10, ceremonia 5/3, "
        f"descifrado por 1, 2 y 3; tablero de {r['bytes_tablero_registro'] / 1e6:.2f} MB",
    ]
    for clave, texto in REGISTRO.items():
        lineas.append(f"  {texto:<58} {r[clave]:>8.0f} pe")
    lineas.append(
        f"  {'Aceleración con 2 procesos (T con 1 / T con 2)':<58} "
        f"{r['verify_record_speedup_2_procesos']:>8.2f} ×  ({m['cpus_disponibles']} CPU disponibles; "
        f"carga 1 min: {r['carga_1min']['inicio']} al inicio, {r['carga_1min']['fin']} al final)"
    )
    lineas.append(f"\nTiempo total de la corrida: {r['segundos_totales']} s")
    return "\n".join(lineas)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="imprime un único objeto JSON en la salida estándar")
    parser.add_argument(
        "--repeticiones",
        type=int,
        default=REPETICIONES_POR_OMISION,
        metavar="N",
        help=f"repeticiones de las cifras pesadas (las ligeras usan múltiplos); por omisión {REPETICIONES_POR_OMISION}",
    )
    parser.add_argument(
        "--boletas-registro",
        type=int,
        default=BOLETAS_REGISTRO_POR_OMISION,
        metavar="B",
        help="boletas del registro publicado cuya verificación se mide (al menos 2); "
        f"por omisión {BOLETAS_REGISTRO_POR_OMISION}",
    )
    args = parser.parse_args(argv)
    if args.repeticiones < 1:
        parser.error("--repeticiones debe ser al menos 1")
    if args.boletas_registro < 2:
        parser.error("--boletas-registro debe ser al menos 2")
    avisar = None if args.json else (lambda texto: print(texto, file=sys.stderr, flush=True))
    resultado = correr(args.repeticiones, avisar, args.boletas_registro)
    if args.json:
        print(json.dumps(resultado, ensure_ascii=False))
    else:
        print(tabla_legible(resultado))
    return 0


if __name__ == "__main__":
    sys.exit(main())
