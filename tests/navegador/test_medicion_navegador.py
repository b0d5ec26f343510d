"""``python -m benchmarks.navegador --json --repeticiones 1`` corre y su informe tiene la forma documentada.

En un proceso aparte (como la corre quien mide), para no anidar otro Playwright en el de la
sesión de pruebas.  Se comprueba la FORMA del informe (claves, tipos, coherencia entre ms y pe y
entre el total y sus fases), nunca los tiempos.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]

FASES_FRIO = {"carga_y_mensajes", "contexto", "tablas", "credencial", "cifrado"}
FASES_CALIENTE = {"mensajes", "credencial", "cifrado"}


@pytest.mark.usefixtures("navegador")  # se salta igual que las demás si no hay Chromium ni Playwright
def test_informe_json_de_la_medicion_de_la_cabina() -> None:
    entorno = {**os.environ, "PYTHONPATH": os.pathsep.join([str(RAIZ), os.environ.get("PYTHONPATH", "")])}
    proceso = subprocess.run(
        [sys.executable, "-m", "benchmarks.navegador", "--json", "--repeticiones", "1"],
        cwd=RAIZ,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proceso.returncode == 0, proceso.stderr[-3000:]
    assert proceso.stderr == ""  # con --json no hay avisos ni registro de peticiones
    informe = json.loads(proceso.stdout)  # un único objeto JSON

    pe_ms = informe["pe_us"] / 1000
    assert pe_ms > 0
    for clave in ("cabina_frio", "cabina_caliente"):
        ms, pe = informe[f"{clave}_ms"], informe[f"{clave}_pe"]
        assert ms > 0 and math.isclose(pe, ms / pe_ms, rel_tol=0.02, abs_tol=0.1)
    assert set(informe["fases_frio_ms"]) == set(informe["fases_frio_pe"]) == FASES_FRIO
    assert set(informe["fases_caliente_ms"]) == set(informe["fases_caliente_pe"]) == FASES_CALIENTE
    # Con 1 repetición la mediana es la muestra: el total es la suma de sus fases.
    assert math.isclose(sum(informe["fases_frio_ms"].values()), informe["cabina_frio_ms"], abs_tol=0.5)
    assert math.isclose(sum(informe["fases_caliente_ms"].values()), informe["cabina_caliente_ms"], abs_tol=0.5)
    assert all(informe["fases_frio_ms"][f] > 0 for f in ("tablas", "cifrado"))
    assert informe["muestras_frio_ms"] == [informe["cabina_frio_primera_ms"]] == [informe["cabina_frio_ms"]]
    assert len(informe["muestras_caliente_ms"]) == informe["repeticiones"] == 1
    assert informe["objetivos"] == {"cabina_frio_ms": 3000}
    assert informe["dentro_de_objetivo"] == {"cabina_frio_ms": informe["cabina_frio_ms"] <= 3000}
    assert informe["cifrado_python_pe"] > 0
    assert informe["navegador"]["chromium"] and "--headless=new" in informe["navegador"]["banderas"]
    assert "gubernatura-10" in informe["boleta"]
    assert {"python", "gmpy2", "cpus"} <= set(informe["machine"])
    assert set(informe["carga_1min"]) == {"inicio", "fin"}
    assert informe["segundos_totales"] > 0
