"""``python -m benchmarks.navegador [--json] [--repeticiones N]``: la cabina de votación en el navegador.

Mide lo que espera el elector en su dispositivo: la biblioteca JavaScript de la cabina
(``/estaticos/vmre/``) cifrando, probando y firmando una boleta gubernatura-10
(``manifiesto_gubernatura(10)``, con credencial) dentro del Web Worker de la cabina, en
Chromium de Debian sin ventana (las mismas banderas que las pruebas de navegador, de
``tests/conftest.py``).

1. Arranca la app real (``crear_app`` sobre SQLite temporal) en un hilo, y Chromium con Playwright;
   abre la página de inicio (mismo origen, CSP de verdad).
2. **En frío**, N veces, cada una con un Worker nuevo: ``new Worker(trabajador.js)`` → ``preparar``
   (validar el contexto: H_P, H_M, H_B, H_E y K en el subgrupo; construir las tablas de base fija
   de g y K) → ``medir`` (leer la credencial, cifrar las 10 opciones con sus pruebas de rango, la
   prueba del límite, χ, el código de confirmación y la firma).  El total va del ``new Worker`` a
   la respuesta de ``medir``; «carga_y_mensajes» es lo que el trabajador no cronometra (traer y
   compilar los módulos, arrancar el Worker, pasar mensajes).
3. **En caliente**: en un solo Worker ya preparado, una boleta de calentamiento y luego N
   ``medir`` (ida y vuelta del mensaje incluida).
4. Cada boleta medida la verifica ``vmre_crypto.verificar_boleta`` (fuera del cronómetro).

Cifras: medianas en milisegundos y en pe (``gmpy2.powmod(g, x, p)`` con x de 256 bits en el grupo
estándar, medido en Python en la misma corrida, al principio y al final; véase README.md).
Objetivo del proyecto (§23.11): **≤ 3 s en frío**.  Es una orden aparte de ``python -m benchmarks`` porque
necesita el servidor (extra ``servidor``), Playwright y Chromium, y porque mide otro motor
(BigInt de JavaScript, no GMP): sus pe comparan máquinas, no implementaciones.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from servidor_referencia.clientes.chromium import ARGUMENTOS_CHROMIUM, CHROMIUM
from vmre_crypto import (
    GRUPO_ESTANDAR,
    ConfiguracionEleccion,
    ContextoEleccion,
    ParCredencial,
    cifrar_boleta,
    codificar_credencial_secreta,
    deserializar,
    generar_credencial,
    serializar,
    verificar_boleta,
)
from vmre_crypto.boletas import BoletaCifrada
from vmre_crypto.ejemplo import manifiesto_gubernatura
from vmre_crypto.serializacion import texto_canonico

from .medicion import a_pe, carga_1min, info_maquina, medir, muestras_pe

RAIZ = Path(__file__).resolve().parents[1]
URL_TRABAJADOR = "/estaticos/vmre/trabajador.js"
REPETICIONES_POR_OMISION = 9
#: Objetivo del proyecto para la cabina: boleta lista (contexto, tablas, cifrado y firma) en ≤ 3 s.
OBJETIVOS: dict[str, float] = {"cabina_frio_ms": 3000}
ESTILO = "unico"
MARCAS = {"1": [4]}

FASES_FRIO = ("carga_y_mensajes", "contexto", "tablas", "credencial", "cifrado")
FASES_CALIENTE = ("mensajes", "credencial", "cifrado")

DESCRIPCIONES: dict[str, str] = {
    "carga_y_mensajes": "módulos, arranque del Worker y mensajes",
    "contexto": "validar el contexto (hashes, K en el subgrupo)",
    "tablas": "tablas de base fija de g y de K",
    "credencial": "leer la credencial (CRC-24, X = g^x)",
    "cifrado": "cifrar, probar, χ, código y firma",
    "mensajes": "ida y vuelta del mensaje",
}

#: Frío: un Worker nuevo, preparar y medir; devuelve los tiempos de la página y del trabajador.
_FRIO_JS = """async ({ url, contexto, pedido }) => {
  const t0 = performance.now();
  const w = new Worker(url, { type: "module" });
  const pedir = (mensaje) => new Promise((resolver, rechazar) => {
    w.onmessage = (e) => (e.data.ok ? resolver(e.data) : rechazar(new Error(JSON.stringify(e.data.error))));
    w.onerror = (e) => rechazar(new Error("error en el trabajador: " + e.message));
    w.postMessage(mensaje);
  });
  try {
    const preparado = await pedir({ id: 1, orden: "preparar", contexto });
    const medido = await pedir({ id: 2, orden: "medir", ...pedido });
    return { total: performance.now() - t0, preparar: preparado.ms, medir: medido.ms, boleta: medido.boleta };
  } finally {
    w.terminate();
  }
}"""

#: Caliente: un Worker preparado una vez, una boleta de calentamiento y luego ``n`` mediciones.
_CALIENTE_JS = """async ({ url, contexto, pedido, n }) => {
  const w = new Worker(url, { type: "module" });
  let id = 0;
  const pedir = (mensaje) => new Promise((resolver, rechazar) => {
    w.onmessage = (e) => (e.data.ok ? resolver(e.data) : rechazar(new Error(JSON.stringify(e.data.error))));
    w.onerror = (e) => rechazar(new Error("error en el trabajador: " + e.message));
    w.postMessage({ ...mensaje, id: ++id });
  });
  try {
    await pedir({ orden: "preparar", contexto });
    await pedir({ orden: "medir", ...pedido });
    const muestras = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const medido = await pedir({ orden: "medir", ...pedido });
      muestras.push({ total: performance.now() - t0, medir: medido.ms, boleta: medido.boleta });
    }
    return muestras;
  } finally {
    w.terminate();
  }
}"""


def chromium_de_las_pruebas() -> tuple[Path, list[str]]:
    """El ejecutable y las banderas de las pruebas de navegador (``servidor_referencia.clientes.chromium``)."""
    return CHROMIUM, list(ARGUMENTOS_CHROMIUM)


def eleccion_gubernatura() -> tuple[ContextoEleccion, ParCredencial]:
    """Contexto de la boleta gubernatura-10 con K = g^s (s aleatorio) y una credencial.

    La cabina no distingue una K de ceremonia de una K = g^s: recibe el contexto y lo comprueba.
    """
    configuracion = ConfiguracionEleccion(
        5, 3, "2027-06-06", "Medición de la cabina en el navegador", manifiesto_gubernatura(10)
    )
    contexto = ContextoEleccion.crear(configuracion, GRUPO_ESTANDAR.g_a_la(GRUPO_ESTANDAR.aleatorio_q()))
    return contexto, generar_credencial(GRUPO_ESTANDAR)


@contextmanager
def app_en_hilo() -> Iterator[str]:
    """La app real sobre una base SQLite temporal, por HTTP en 127.0.0.1; devuelve su URL."""
    from werkzeug.serving import make_server

    from servidor_referencia import Configuracion, crear_app

    with tempfile.TemporaryDirectory(prefix="vmre-bench-navegador-") as temporal:
        app = crear_app(
            Configuracion(
                url_bd=f"sqlite:///{Path(temporal) / 'servidor.sqlite3'}", enviar_correo_en_segundo_plano=False
            )
        )
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # sin una línea por petición en stderr
        servidor = make_server("127.0.0.1", 0, app, threaded=True)
        hilo = threading.Thread(target=servidor.serve_forever, name="bench-navegador", daemon=True)
        hilo.start()
        try:
            yield f"http://127.0.0.1:{servidor.server_port}"
        finally:
            servidor.shutdown()
            servidor.server_close()
            hilo.join(timeout=10)
            app.extensions["vmre"]["motor"].dispose()


def _comprobar(contexto: ContextoEleccion, documento: dict[str, Any], credencial: ParCredencial) -> None:
    """La boleta medida es válida para Python y lleva la credencial pedida (fuera del cronómetro)."""
    boleta = deserializar(texto_canonico(documento), BoletaCifrada, GRUPO_ESTANDAR)
    verificar_boleta(contexto, boleta)
    if boleta.credencial != credencial.publica or boleta.estilo != ESTILO:
        raise AssertionError("la boleta medida no es la pedida")


def _mediana_por_fase(muestras: list[dict[str, float]], fases: tuple[str, ...]) -> dict[str, float]:
    return {f: statistics.median(m[f] for m in muestras) for f in fases}


def correr(repeticiones: int = REPETICIONES_POR_OMISION, avisar: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Corre la medición y devuelve el objeto de resultados (el mismo que ``--json``)."""
    from playwright.sync_api import sync_playwright

    avisar = avisar or (lambda _texto: None)
    inicio = time.perf_counter()
    carga_inicio = carga_1min()
    n = max(1, repeticiones)
    chromium, banderas = chromium_de_las_pruebas()
    if not chromium.exists():
        raise SystemExit(f"no hay Chromium en {chromium} (apt-get install chromium, o VMRE_CHROMIUM=ruta)")

    avisar("Midiendo pe (powmod de 256 bits en el grupo estándar)…")
    pe_inicio = muestras_pe()
    contexto, credencial = eleccion_gubernatura()
    argumentos = {
        "url": URL_TRABAJADOR,
        "contexto": json.loads(serializar(contexto)),
        "pedido": {"estilo": ESTILO, "marcas": MARCAS, "credencial": codificar_credencial_secreta(credencial.secreta)},
    }
    avisar("La misma boleta en Python (referencia)…")
    cifrado_python = medir(lambda: cifrar_boleta(contexto, ESTILO, {1: (4,)}, credencial), 3 * n)

    frio: list[dict[str, float]] = []
    caliente: list[dict[str, float]] = []
    with app_en_hilo() as url, sync_playwright() as pw:
        navegador = pw.chromium.launch(executable_path=str(chromium), headless=True, args=banderas)
        try:
            version = navegador.version
            pagina = navegador.new_page()
            pagina.goto(url + "/")
            for i in range(n):
                avisar(f"En frío {i + 1}/{n}: Worker nuevo, preparar y cifrar…")
                r = pagina.evaluate(_FRIO_JS, argumentos)
                _comprobar(contexto, r["boleta"], credencial)
                fases = {**r["preparar"], **r["medir"]}
                medidas = sum(fases[f] for f in FASES_FRIO[1:])
                frio.append({"total": r["total"], "carga_y_mensajes": r["total"] - medidas, **fases})
            avisar(f"En caliente: {n} boletas en un Worker ya preparado…")
            for r in pagina.evaluate(_CALIENTE_JS, {**argumentos, "n": n}):
                _comprobar(contexto, r["boleta"], credencial)
                medidas = r["medir"]["credencial"] + r["medir"]["cifrado"]
                caliente.append({"total": r["total"], "mensajes": r["total"] - medidas, **r["medir"]})
        finally:
            navegador.close()

    avisar("Midiendo pe otra vez…")
    pe_fin = muestras_pe(201)
    pe = statistics.median(pe_inicio + pe_fin)
    pe_ms = pe * 1e3

    frio_ms = statistics.median(m["total"] for m in frio)
    caliente_ms = statistics.median(m["total"] for m in caliente)
    fases_frio = _mediana_por_fase(frio, FASES_FRIO)
    fases_caliente = _mediana_por_fase(caliente, FASES_CALIENTE)
    salida: dict[str, Any] = {
        "pe_us": round(pe * 1e6, 2),
        "cabina_frio_ms": round(frio_ms, 1),
        "cabina_frio_pe": round(frio_ms / pe_ms, 1),
        "cabina_caliente_ms": round(caliente_ms, 1),
        "cabina_caliente_pe": round(caliente_ms / pe_ms, 1),
        "fases_frio_ms": {f: round(v, 1) for f, v in fases_frio.items()},
        "fases_frio_pe": {f: round(v / pe_ms, 1) for f, v in fases_frio.items()},
        "fases_caliente_ms": {f: round(v, 1) for f, v in fases_caliente.items()},
        "fases_caliente_pe": {f: round(v / pe_ms, 1) for f, v in fases_caliente.items()},
        # La primera vez en la página los módulos llegan sin caché HTTP ni caché de código de V8;
        # las siguientes (cada una en un Worker nuevo) los revalidan con 304.
        "cabina_frio_primera_ms": round(frio[0]["total"], 1),
        "muestras_frio_ms": [round(m["total"], 1) for m in frio],
        "muestras_caliente_ms": [round(m["total"], 1) for m in caliente],
        # La misma boleta con vmre_crypto (GMP, tablas ya construidas): cuánto más cuesta en JavaScript.
        "cifrado_python_pe": round(a_pe(cifrado_python, pe), 2),
        "pe_us_inicio": round(statistics.median(pe_inicio) * 1e6, 2),
        "pe_us_fin": round(statistics.median(pe_fin) * 1e6, 2),
        "carga_1min": {"inicio": carga_inicio, "fin": carga_1min()},
        "objetivos": dict(OBJETIVOS),
    }
    salida["dentro_de_objetivo"] = {k: salida[k] <= v for k, v in OBJETIVOS.items()}
    salida["repeticiones"] = n
    salida["boleta"] = "gubernatura-10 (1 contienda, 10 opciones, se vota 1), con credencial"
    salida["navegador"] = {"chromium": version, "ejecutable": str(chromium), "banderas": banderas}
    salida["machine"] = info_maquina()
    salida["segundos_totales"] = round(time.perf_counter() - inicio, 1)
    return salida


def tabla_legible(r: dict[str, Any]) -> str:
    m = r["machine"]
    cumple = "sí" if r["dentro_de_objetivo"]["cabina_frio_ms"] else "NO"
    lineas = [
        "vmre — la cabina en el navegador (biblioteca JavaScript en un Web Worker)",
        f"1 pe = {r['pe_us']:.1f} µs (powmod g^x mod p en Python, x de 256 bits; "
        f"inicio {r['pe_us_inicio']:.1f} µs, fin {r['pe_us_fin']:.1f} µs)",
        f"Chromium {r['navegador']['chromium']} sin ventana; Python {m['python']}, {m['cpus']} CPU ({m['procesador']})",
        f"Boleta: {r['boleta']}; mediana de {r['repeticiones']} repeticiones",
        "",
        f"{'Cifra':<62} {'ms':>9} {'pe':>8}",
        "-" * 81,
        f"{'En frío: Worker nuevo → boleta lista (objetivo ≤ 3000 ms: ' + cumple + ')':<62} "
        f"{r['cabina_frio_ms']:>9.1f} {r['cabina_frio_pe']:>8.1f}",
        f"{'  (la primera vez en la página, sin cachés)':<62} {r['cabina_frio_primera_ms']:>9.1f}",
    ]
    for fase in FASES_FRIO:
        texto = f"  {fase}: {DESCRIPCIONES[fase]}"
        lineas.append(f"{texto:<62} {r['fases_frio_ms'][fase]:>9.1f} {r['fases_frio_pe'][fase]:>8.1f}")
    lineas.append(
        f"{'En caliente: otra boleta en el mismo Worker':<62} {r['cabina_caliente_ms']:>9.1f} {r['cabina_caliente_pe']:>8.1f}"
    )
    for fase in FASES_CALIENTE:
        texto = f"  {fase}: {DESCRIPCIONES[fase]}"
        lineas.append(f"{texto:<62} {r['fases_caliente_ms'][fase]:>9.1f} {r['fases_caliente_pe'][fase]:>8.1f}")
    lineas += [
        "",
        f"La misma boleta en Python (vmre_crypto, tablas hechas): {r['cifrado_python_pe']:.1f} pe",
        f"Muestras en frío (ms): {r['muestras_frio_ms']}",
        f"Tiempo total de la corrida: {r['segundos_totales']} s",
    ]
    return "\n".join(lineas)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.navegador", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="imprime un único objeto JSON en la salida estándar")
    parser.add_argument(
        "--repeticiones",
        type=int,
        default=REPETICIONES_POR_OMISION,
        metavar="N",
        help=f"boletas en frío (cada una en un Worker nuevo) y en caliente; por omisión {REPETICIONES_POR_OMISION}",
    )
    args = parser.parse_args(argv)
    if args.repeticiones < 1:
        parser.error("--repeticiones debe ser al menos 1")
    avisar = None if args.json else (lambda texto: print(texto, file=sys.stderr, flush=True))
    resultado = correr(args.repeticiones, avisar)
    if args.json:
        print(json.dumps(resultado, ensure_ascii=False))
    else:
        print(tabla_legible(resultado))
    return 0


if __name__ == "__main__":
    sys.exit(main())
