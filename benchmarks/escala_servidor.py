"""``python -m benchmarks.escala_servidor [--electores N] [--boletas M] [--clientes C] [--json]``.

Medición de escala del servidor de referencia (no es una prueba): boletas aceptadas por segundo
con todas las comprobaciones de §20.11 activas, contra un ``vmre servidor iniciar`` de verdad
(waitress + grupo de procesos de verificación, §20.19) por HTTP en localhost.

1. Instala un proceso abierto con N electores directamente en la base (corte de la LNERE con su
   código de integridad, lista de credenciales generadas con la biblioteca, cuentas activas con
   contraseña argon2id y TOTP reales; contexto salido de ``ceremonia_en_proceso`` 5/3 con la boleta
   gubernatura-10 como estilo de cada entidad).  La apertura va por la API del administrador.
2. Cifra M boletas con la biblioteca en un grupo de procesos (antes de medir).
3. Accesos: una muestra de electores entra por HTTP (contraseña + TOTP, argon2id perfil 2 de
   RFC 9106: cuesta más que verificar una boleta) y se mide aparte; el resto recibe su sesión
   directamente en la base (``sesiones.abrir``), para que la cifra de boletas no mida argon2.
4. C clientes concurrentes depositan las M boletas; se mide boletas aceptadas por segundo,
   latencias p50/p95 y la memoria máxima (VmHWM) del servidor y de sus trabajadores.
5. El tablero exportado se recorre con ``hash_objeto``/``hash_entrada``: la cadena está íntegra y
   tiene exactamente M boletas.

Cifras en segundos y en pe (la misma unidad de ``python -m benchmarks``, medida en la corrida).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vmre_crypto import (
    GRUPO_ESTANDAR,
    ConfiguracionEleccion,
    EstiloBoleta,
    Manifiesto,
    a_json,
    ceremonia_en_proceso,
    cifrar_boleta,
    codificar_credencial_secreta,
    decodificar_credencial_secreta,
    decodificar_credenciales_publicas,
    deserializar,
    generar_credencial,
    hash_entrada,
    hash_lista_credenciales_del_grupo,
    hash_objeto,
    leer_tablero,
    serializar,
)
from vmre_crypto.ejemplo import manifiesto_gubernatura

from .medicion import a_pe, carga_1min, info_maquina, muestras_pe

CONTRASENA = "contraseña-del-elector-de-escala"
ENTIDADES = ("03", "06", "08", "12", "14", "16", "18", "22", "24", "32")
PAISES = ("US", "CA", "ES", "DE", "FR", "GB", "IT", "AR", "CL", "CO", "AU", "JP", "NL", "CH", "BR")


def manifiesto_escala() -> Manifiesto:
    """gubernatura-10 (una contienda, 10 opciones, se vota 1) como estilo de cada entidad."""
    contienda = manifiesto_gubernatura(10).contiendas[0]
    return Manifiesto(
        "Medición de escala (gubernatura-10)",
        (contienda,),
        tuple(EstiloBoleta(e, (1,)) for e in ENTIDADES),
    )


# ---------------------------------------------------------------- trabajo en procesos (cifrado)

_CONTEXTO: Any = None


def _iniciar_cifrador(texto_contexto: str) -> None:
    global _CONTEXTO
    from vmre_crypto import ContextoEleccion

    _CONTEXTO = deserializar(texto_contexto, ContextoEleccion, GRUPO_ESTANDAR)
    GRUPO_ESTANDAR.tabla(GRUPO_ESTANDAR.g)
    GRUPO_ESTANDAR.tabla(_CONTEXTO.llave.valor)


def _credenciales(cuantas: int) -> list[tuple[str, str]]:
    """(pública en JSON, secreta codificada) de ``cuantas`` credenciales nuevas."""
    salida = []
    for _ in range(cuantas):
        par = generar_credencial(GRUPO_ESTANDAR)
        salida.append((a_json(par.publica), codificar_credencial_secreta(par.secreta)))
    return salida


def _cifrar(lote: list[tuple[str, str, int]]) -> list[str]:
    """Cifra y firma una boleta por (entidad, credencial secreta, opción)."""
    salida = []
    for entidad, secreta, opcion in lote:
        par = decodificar_credencial_secreta(GRUPO_ESTANDAR, secreta)
        salida.append(serializar(cifrar_boleta(_CONTEXTO, entidad, {1: (opcion,)}, par).boleta))
    return salida


def _en_lotes(elementos: list[Any], tamano: int) -> list[list[Any]]:
    return [elementos[i : i + tamano] for i in range(0, len(elementos), tamano)]


# ---------------------------------------------------------------- instalación en la base


def instalar(url_bd: str, electores: int, procesos: int, avisar: Any) -> dict[str, Any]:
    """Personal, corte, lista de credenciales, cuentas y proceso en ``llave_publicada``."""
    from sqlalchemy import insert, select

    from servidor_referencia.bd.base import ahora, crear_esquema, crear_fabrica, crear_motor, transaccion
    from servidor_referencia.bd.cuentas import CredencialPublica, CuentaElector, ListaCredencialesPublicas
    from servidor_referencia.bd.lnere import CorteLNERE
    from servidor_referencia.bd.sivei import ProcesoElectoral
    from servidor_referencia.dominio import personal
    from servidor_referencia.dominio.roles import Rol
    from servidor_referencia.dominio.secretos import codigo_totp, hash_contrasena, secreto_totp_nuevo

    t0 = time.perf_counter()
    configuracion = ConfiguracionEleccion(5, 3, "2027-06-06", "Medición de escala del servidor", manifiesto_escala())
    _custodios, registro, contexto = ceremonia_en_proceso(configuracion)
    avisar(f"  ceremonia 5/3 en proceso: {time.perf_counter() - t0:.1f} s")

    t1 = time.perf_counter()
    cuantas = [min(500, electores - i) for i in range(0, electores, 500)]
    with ProcessPoolExecutor(procesos) as grupo:
        pares = [p for lote in grupo.map(_credenciales, cuantas) for p in lote]
    avisar(f"  {electores} credenciales generadas con la biblioteca: {time.perf_counter() - t1:.1f} s")
    publicas = decodificar_credenciales_publicas(GRUPO_ESTANDAR, [p for p, _ in pares])
    publicas_ordenadas = sorted(publicas, key=lambda x: int(x.valor))
    h_c = hash_lista_credenciales_del_grupo(GRUPO_ESTANDAR, publicas_ordenadas)

    motor = crear_motor(url_bd)
    crear_esquema(motor)
    fabrica = crear_fabrica(motor)
    admin_secreto = secreto_totp_nuevo()
    paso = int(time.time() // 30) - 1
    contrasena = hash_contrasena(CONTRASENA)
    t2 = time.perf_counter()
    with transaccion(fabrica) as bd:
        admin = personal.crear_usuario(
            bd,
            "admin-escala",
            "Administración de escala",
            "admin-escala@ine.example",
            Rol.ADMINISTRADOR,
            "consola",
            "consola",
        )
        if 30 - time.time() % 30 < 2:  # lejos del cambio de intervalo TOTP
            time.sleep(30 - time.time() % 30 + 0.1)
        paso = int(time.time() // 30) - 1
        personal.activar(bd, admin, CONTRASENA, admin_secreto, codigo_totp(admin_secreto, paso * 30 + 1))
        correos = [f"elector{i:06d}@escala.example" for i in range(electores)]
        documento = "\n".join(f"ESCALA{i:012d}|{c}" for i, c in enumerate(correos)).encode()
        corte = CorteLNERE(
            modalidad="electronica",
            version=1,
            creado_por=admin.id,
            num_registros=electores,
            codigo_integridad=hashlib.sha256(documento).hexdigest(),
            documento=documento,
        )
        bd.add(corte)
        bd.flush()
        lista = ListaCredencialesPublicas(
            corte_id=corte.id, cargada_por=admin.id, num_credenciales=electores, hash_lista=h_c.hex()
        )
        bd.add(lista)
        bd.flush()
        bd.execute(
            insert(CredencialPublica), [{"lista_id": lista.id, "publica": a_json(x)} for x in publicas_ordenadas]
        )
        secretos = [secreto_totp_nuevo() for _ in range(electores)]
        momento = ahora()
        bd.execute(
            insert(CuentaElector),
            [
                {
                    "clave_elector": f"ESCALA{i:012d}",
                    "corte_id": corte.id,
                    "correo": correos[i],
                    "telefono": f"+1555{i:08d}",
                    "entidad": ENTIDADES[i % len(ENTIDADES)],
                    "pais": PAISES[i % len(PAISES)],
                    "estado": "activa",
                    "hash_contrasena": contrasena,
                    "totp_secreto": secretos[i],
                    "ultimo_paso_totp": 0,
                    "creada": momento,
                    "activada": momento,
                }
                for i in range(electores)
            ],
        )
        ids = dict(
            bd.execute(select(CuentaElector.correo, CuentaElector.id).where(CuentaElector.corte_id == corte.id)).all()
        )
        proceso = ProcesoElectoral(
            nombre="Medición de escala",
            estado="llave_publicada",
            configuracion=serializar(configuracion),
            h_m=configuracion.h_m.hex(),
            h_b=configuracion.h_b.hex(),
            registro_llaves=serializar(registro),
            contexto=serializar(contexto),
            h_e=contexto.h_e.hex(),
            creado_por=admin.id,
        )
        bd.add(proceso)
        bd.flush()
        proceso_id, corte_id = proceso.id, corte.id
    avisar(f"  base instalada ({electores} cuentas, lista y corte): {time.perf_counter() - t2:.1f} s")
    return {
        "motor": motor,
        "fabrica": fabrica,
        "proceso_id": proceso_id,
        "corte_id": corte_id,
        "contexto": contexto,
        "h_p": configuracion.h_p,
        "admin_secreto": admin_secreto,
        "admin_paso": paso,
        "correos": correos,
        "ids": [ids[c] for c in correos],
        "secretos": secretos,
        "credenciales": [s for _, s in pares],
        "segundos": time.perf_counter() - t0,
    }


# ---------------------------------------------------------------- servidor y HTTP


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _vmre() -> str:
    junto = Path(sys.executable).parent / "vmre"
    ruta = str(junto) if junto.exists() else shutil.which("vmre")
    if not ruta:
        raise SystemExit("no está instalada la orden vmre (pip install -e .)")
    return ruta


class Servidor:
    def __init__(self, carpeta: Path, url_bd: str, hilos: int, procesos: int) -> None:
        self.puerto = _puerto_libre()
        self.registro = carpeta / "servidor.log"
        salida = self.registro.open("wb")
        self.proc = subprocess.Popen(
            [
                _vmre(),
                "servidor",
                "iniciar",
                "--db",
                url_bd,
                "--clave-cookies",
                str(carpeta / "clave.bin"),
                "--smtp-puerto",
                str(_puerto_libre()),
                "--puerto",
                str(self.puerto),
                "--hilos",
                str(hilos),
                "--procesos-verificacion",
                str(procesos),
            ],
            cwd=carpeta,
            stdout=salida,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        salida.close()
        limite = time.monotonic() + 60
        while time.monotonic() < limite:
            if self.proc.poll() is not None:
                raise SystemExit(f"el servidor terminó al arrancar:\n{self.registro.read_text()}")
            try:
                if pedir(self.puerto, "GET", "/api/v1/estado")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("el servidor no respondió")

    def memoria(self) -> dict[str, Any]:
        """VmHWM (memoria residente máxima) del servidor y de cada proceso hijo (verificación)."""
        hijos: list[int] = []
        for tarea in Path(f"/proc/{self.proc.pid}/task").glob("*/children"):
            hijos += [int(x) for x in tarea.read_text().split()]
        servidor = _vmhwm(self.proc.pid)
        trabajadores = [m for m in (_vmhwm(p) for p in hijos) if m is not None]
        return {
            "servidor_vmhwm_mb": servidor,
            "trabajadores_vmhwm_mb": trabajadores,
            "total_vmhwm_mb": round((servidor or 0) + sum(trabajadores), 1),
        }

    def cpu_s(self) -> float:
        """Tiempo de CPU (usuario + sistema) del servidor y de sus hijos vivos, en segundos."""
        hijos: list[int] = []
        for tarea in Path(f"/proc/{self.proc.pid}/task").glob("*/children"):
            hijos += [int(x) for x in tarea.read_text().split()]
        return sum(_cpu_s(p) for p in [self.proc.pid, *hijos])

    def reiniciar_pico(self) -> bool:
        """Pone VmHWM = RSS actual en el servidor y sus hijos (``echo 5 > /proc/PID/clear_refs``)."""
        hijos: list[int] = []
        for tarea in Path(f"/proc/{self.proc.pid}/task").glob("*/children"):
            hijos += [int(x) for x in tarea.read_text().split()]
        try:
            for pid in [self.proc.pid, *hijos]:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    def detener(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def _cpu_s(pid: int) -> float:
    try:
        campos = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(campos[11]) + int(campos[12])) / os.sysconf("SC_CLK_TCK")


def _vmhwm(pid: int) -> float | None:
    try:
        for linea in Path(f"/proc/{pid}/status").read_text().splitlines():
            if linea.startswith("VmHWM:"):
                return round(int(linea.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def pedir(
    puerto: int,
    metodo: str,
    ruta: str,
    cuerpo: Any = None,
    cabeceras: dict[str, str] | None = None,
    conexion: http.client.HTTPConnection | None = None,
) -> tuple[int, Any]:
    propia = conexion is None
    conexion = conexion or http.client.HTTPConnection("127.0.0.1", puerto, timeout=300)
    datos = json.dumps(cuerpo).encode() if cuerpo is not None else None
    cab = {**(cabeceras or {}), **({"Content-Type": "application/json"} if datos is not None else {})}
    try:
        conexion.request(metodo, ruta, body=datos, headers=cab)
        r = conexion.getresponse()
        texto = r.read()
        tipo = r.getheader("Content-Type", "")
        return r.status, (json.loads(texto) if tipo.startswith("application/json") else texto.decode("utf-8"))
    finally:
        if propia:
            conexion.close()


def _percentil(valores: list[float], p: float) -> float:
    if not valores:
        return float("nan")
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1)))]


def _concurrente(tareas: list[Any], clientes: int, hacer: Any) -> tuple[list[tuple[int, Any, float]], float]:
    """Reparte ``tareas`` entre ``clientes`` hilos (una conexión HTTP persistente cada uno)."""
    resultados: list[tuple[int, Any, float]] = []
    candado = threading.Lock()
    siguiente = iter(tareas)

    def trabajar() -> None:
        conexion: http.client.HTTPConnection | None = None
        while True:
            with candado:
                tarea = next(siguiente, None)
            if tarea is None:
                break
            t = time.perf_counter()
            try:
                estado, datos = hacer(tarea, conexion)
            except (OSError, http.client.HTTPException) as e:
                estado, datos = 0, str(e)
            duracion = time.perf_counter() - t
            with candado:
                resultados.append((estado, datos, duracion))

    hilos = [threading.Thread(target=trabajar) for _ in range(clientes)]
    inicio = time.perf_counter()
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    return resultados, time.perf_counter() - inicio


# ---------------------------------------------------------------- la corrida


def correr(args: argparse.Namespace, avisar: Any) -> dict[str, Any]:
    from servidor_referencia.bd.base import transaccion
    from servidor_referencia.dominio import sesiones
    from servidor_referencia.dominio.secretos import codigo_totp

    inicio = time.perf_counter()
    pe_inicio = muestras_pe(201)
    procesos = args.procesos_verificacion if args.procesos_verificacion is not None else (os.cpu_count() or 1)
    carpeta = Path(tempfile.mkdtemp(prefix="vmre-escala-"))
    url_bd = args.db or f"sqlite:///{carpeta / 'escala.sqlite3'}"
    avisar(f"Instalando {args.electores} electores (base: {url_bd.split('@')[-1]})…")
    inst = instalar(url_bd, args.electores, os.cpu_count() or 1, avisar)
    boletas = min(args.boletas, args.electores)

    avisar(f"Cifrando {boletas} boletas gubernatura-10 con la biblioteca (grupo de procesos)…")
    t = time.perf_counter()
    tareas = [(ENTIDADES[i % len(ENTIDADES)], inst["credenciales"][i], 1 + i % 10) for i in range(boletas)]
    with ProcessPoolExecutor(
        os.cpu_count() or 1, initializer=_iniciar_cifrador, initargs=(serializar(inst["contexto"]),)
    ) as grupo:
        textos = [x for lote in grupo.map(_cifrar, _en_lotes(tareas, 50)) for x in lote]
    cifrado_s = time.perf_counter() - t
    documentos = [json.loads(x) for x in textos]
    avisar(f"  {cifrado_s:.1f} s")

    servidor = Servidor(carpeta, url_bd, args.hilos, procesos)
    try:
        avisar(f"Servidor en el puerto {servidor.puerto}: {args.hilos} hilos, {procesos} procesos de verificación")
        paso = max(int(time.time() // 30), inst["admin_paso"] + 1)
        while paso > int(time.time() // 30) + 1:
            time.sleep(1)
        estado, datos = pedir(
            servidor.puerto,
            "POST",
            "/api/v1/sesion",
            {
                "usuario": "admin-escala",
                "contrasena": CONTRASENA,
                "codigo": codigo_totp(inst["admin_secreto"], paso * 30 + 1),
            },
        )
        assert estado == 201, datos
        admin = {"Authorization": f"Bearer {datos['testigo']}"}
        fin = time.time() + 6 * 3600
        estado, datos = pedir(
            servidor.puerto,
            "POST",
            f"/api/v1/sivei/apertura/{inst['proceso_id']}",
            {"corte": inst["corte_id"], "fin": datetime.fromtimestamp(fin, UTC).isoformat().replace("+00:00", "Z")},
            admin,
        )
        assert estado == 201, datos
        avisar("Proceso abierto por la API (acta de inicio en el tablero).")

        # Accesos por HTTP (argon2id + TOTP) de una muestra; el resto, sesión directa en la base.
        muestra = min(args.muestra_accesos, boletas)
        avisar(f"Accesos por HTTP de {muestra} electores con {args.clientes} clientes…")

        def acceder(i: int, conexion: Any) -> tuple[int, Any]:
            codigo = codigo_totp(inst["secretos"][i], time.time())
            return pedir(
                servidor.puerto,
                "POST",
                "/api/v1/elector/sesion",
                {"correo": inst["correos"][i], "contrasena": CONTRASENA, "codigo": codigo},
                conexion=conexion,
            )

        accesos, accesos_s = _concurrente(list(range(muestra)), args.clientes, acceder)
        testigos: dict[int, str] = {}
        fallidos = [r for r in accesos if r[0] != 201]
        if fallidos:
            raise SystemExit(f"{len(fallidos)} accesos fallaron: {fallidos[:3]}")
        # Los testigos de la muestra no se reparten por índice (el orden de llegada varía): se
        # abren de nuevo en la base para todos, igual que en el resto; el acceso ya quedó medido.
        with transaccion(inst["fabrica"]) as bd:
            for i in range(boletas):
                testigos[i] = sesiones.abrir(bd, "elector", inst["ids"][i], 6 * 3600)
        latencias_acceso = [d for _e, _x, d in accesos]

        avisar(f"Depositando {boletas} boletas con {args.clientes} clientes concurrentes…")
        ruta = f"/api/v1/sivei/votacion/{inst['proceso_id']}/depositar"

        def depositar(i: int, conexion: Any) -> tuple[int, Any]:
            return pedir(
                servidor.puerto,
                "POST",
                ruta,
                {"boleta": documentos[i]},
                {"Authorization": f"Bearer {testigos[i]}"},
                conexion=conexion,
            )

        # argon2id usa 64 MiB por acceso simultáneo: el pico de los accesos se informa aparte y
        # se reinicia para medir el del depósito.
        memoria_accesos = servidor.memoria()
        pico_reiniciado = servidor.reiniciar_pico()
        cpu_antes, carga_antes = servidor.cpu_s(), carga_1min()
        depositos, depositos_s = _concurrente(list(range(boletas)), args.clientes, depositar)
        cpu_deposito = servidor.cpu_s() - cpu_antes
        carga_despues = carga_1min()
        aceptadas = [r for r in depositos if r[0] == 201]
        rechazadas = [r for r in depositos if r[0] != 201]
        memoria = servidor.memoria()
        avisar(f"  {len(aceptadas)} aceptadas en {depositos_s:.1f} s")

        estado, texto = pedir(servidor.puerto, "GET", f"/api/v1/sivei/tablero/{inst['proceso_id']}/tablero.jsonl")
        ruta_tablero = carpeta / "tablero.jsonl"
        ruta_tablero.write_text(texto, encoding="utf-8")
        anterior, tipos = bytes(32), []
        for numero, linea in enumerate(leer_tablero(ruta_tablero)):
            e = linea.entrada
            assert e.indice == numero and e.hash_anterior == anterior
            assert e.hash_objeto == hash_objeto(inst["h_p"], linea.texto_objeto)
            anterior = hash_entrada(inst["h_p"], e.indice, e.tipo, anterior, e.hash_objeto, e.tiempo)
            assert e.hash_entrada == anterior
            tipos.append(e.tipo)
        cadena_integra = tipos.count("boleta_cifrada") == len(aceptadas)
    finally:
        servidor.detener()
        inst["motor"].dispose()
    pe = statistics.median(pe_inicio + muestras_pe(201))
    latencias = [d for _e, _x, d in aceptadas]
    por_segundo = len(aceptadas) / depositos_s if depositos_s else 0.0
    # Sin procesos de verificación el GIL deja usar un solo núcleo.
    nucleos_utiles = min(os.cpu_count() or 1, procesos + 1) if procesos else 1
    resultado: dict[str, Any] = {
        "electores": args.electores,
        "boletas": boletas,
        "boleta": "gubernatura-10 (1 contienda, 10 opciones, se vota 1)",
        "clientes": args.clientes,
        "hilos_servidor": args.hilos,
        "procesos_verificacion": procesos,
        "base": "postgresql" if url_bd.startswith("postgresql") else "sqlite",
        "boletas_aceptadas": len(aceptadas),
        "boletas_rechazadas": len(rechazadas),
        "rechazos_ejemplo": [r[1] for r in rechazadas[:3]],
        "boletas_por_segundo": round(por_segundo, 2),
        "objetivo_boletas_por_segundo": 30,
        "cumple_objetivo": por_segundo >= 30,
        "deposito_s": round(depositos_s, 2),
        "latencia_p50_s": round(_percentil(latencias, 50), 4),
        "latencia_p95_s": round(_percentil(latencias, 95), 4),
        "accesos_http": len(accesos),
        "accesos_por_segundo": round(len(accesos) / accesos_s, 2) if accesos_s else None,
        "acceso_latencia_p50_s": round(_percentil(latencias_acceso, 50), 4),
        "acceso_latencia_p95_s": round(_percentil(latencias_acceso, 95), 4),
        "pe_us": round(pe * 1e6, 2),
        "pe_por_boleta_aceptada": round(a_pe(depositos_s / max(1, len(aceptadas)), pe), 1),
        "latencia_p50_pe": round(a_pe(_percentil(latencias, 50), pe), 1),
        "latencia_p95_pe": round(a_pe(_percentil(latencias, 95), pe), 1),
        "acceso_latencia_p50_pe": round(a_pe(_percentil(latencias_acceso, 50), pe), 1),
        # Tiempo de CPU del servidor y sus trabajadores por boleta aceptada: no depende de la carga
        # ajena de la máquina; núcleos / CPU por boleta = ritmo con los núcleos libres.
        "cpu_s_por_boleta": round(cpu_deposito / max(1, len(aceptadas)), 4),
        "cpu_pe_por_boleta": round(a_pe(cpu_deposito / max(1, len(aceptadas)), pe), 1),
        "capacidad_con_nucleos_libres_boletas_por_segundo": round(nucleos_utiles * len(aceptadas) / cpu_deposito, 1)
        if cpu_deposito
        else None,
        "carga_1min": {"inicio": carga_antes, "fin": carga_despues},
        "memoria": memoria,
        "memoria_tras_accesos": memoria_accesos,
        "pico_reiniciado_antes_del_deposito": pico_reiniciado,
        "cadena_integra": cadena_integra,
        "entradas_tablero": len(tipos),
        "instalacion_s": round(inst["segundos"], 1),
        "cifrado_previo_s": round(cifrado_s, 1),
        "machine": info_maquina(),
        "segundos_totales": round(time.perf_counter() - inicio, 1),
    }
    shutil.rmtree(carpeta, ignore_errors=True)
    return resultado


def resumen(r: dict[str, Any]) -> str:
    m = r["memoria"]
    return "\n".join(
        [
            "Servidor de referencia — medición de escala (gubernatura-10, todas las comprobaciones)",
            f"{r['electores']} electores, {r['boletas']} boletas, {r['clientes']} clientes concurrentes, "
            f"{r['hilos_servidor']} hilos y {r['procesos_verificacion']} procesos de verificación, base {r['base']}",
            f"Boletas aceptadas: {r['boletas_aceptadas']} (rechazadas: {r['boletas_rechazadas']}) en {r['deposito_s']} s",
            f"Ritmo: {r['boletas_por_segundo']} boletas/s (objetivo ≥ {r['objetivo_boletas_por_segundo']}: "
            f"{'cumple' if r['cumple_objetivo'] else 'NO cumple'}); {r['pe_por_boleta_aceptada']} pe por boleta aceptada",
            f"CPU del servidor y sus trabajadores: {r['cpu_s_por_boleta'] * 1000:.1f} ms ({r['cpu_pe_por_boleta']} pe) "
            f"por boleta → con los núcleos libres, "
            f"{r['capacidad_con_nucleos_libres_boletas_por_segundo']} boletas/s "
            f"(carga de la máquina: {r['carga_1min']['inicio']} → {r['carga_1min']['fin']})",
            f"Latencia del depósito: p50 {r['latencia_p50_s'] * 1000:.0f} ms ({r['latencia_p50_pe']} pe), "
            f"p95 {r['latencia_p95_s'] * 1000:.0f} ms ({r['latencia_p95_pe']} pe)",
            f"Accesos (argon2id + TOTP) por HTTP: {r['accesos_http']} a {r['accesos_por_segundo']} por s; "
            f"p50 {r['acceso_latencia_p50_s'] * 1000:.0f} ms, p95 {r['acceso_latencia_p95_s'] * 1000:.0f} ms",
            f"Memoria máxima (VmHWM) {'durante el depósito' if r['pico_reiniciado_antes_del_deposito'] else ''}: "
            f"servidor {m['servidor_vmhwm_mb']} MB; trabajadores "
            f"{', '.join(f'{x} MB' for x in m['trabajadores_vmhwm_mb']) or '—'}; total {m['total_vmhwm_mb']} MB",
            f"Memoria máxima (VmHWM) hasta el fin de los accesos: servidor "
            f"{r['memoria_tras_accesos']['servidor_vmhwm_mb']} MB (argon2id: 64 MiB por acceso simultáneo)",
            f"Tablero: {r['entradas_tablero']} entradas, cadena recalculada "
            f"{'íntegra' if r['cadena_integra'] else 'CON DIFERENCIAS'}",
            f"1 pe = {r['pe_us']} µs; instalación {r['instalacion_s']} s, cifrado previo {r['cifrado_previo_s']} s, "
            f"total {r['segundos_totales']} s",
        ]
    )


def _avisar(texto: str) -> None:
    print(texto, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.escala_servidor", description=__doc__.splitlines()[0])
    parser.add_argument("--electores", type=int, default=600, help="electores en la lista (por omisión 600)")
    parser.add_argument("--boletas", type=int, default=400, help="boletas a depositar (por omisión 400)")
    parser.add_argument("--clientes", type=int, default=16, help="clientes HTTP concurrentes (por omisión 16)")
    parser.add_argument("--hilos", type=int, default=16, help="hilos de waitress (por omisión 16)")
    parser.add_argument(
        "--procesos-verificacion", type=int, default=None, help="procesos de verificación (por omisión, núcleos)"
    )
    parser.add_argument(
        "--muestra-accesos", type=int, default=100, help="electores que entran por HTTP con argon2 (por omisión 100)"
    )
    parser.add_argument("--db", default=None, help="URL de la base (por omisión, SQLite en un directorio temporal)")
    parser.add_argument("--json", action="store_true", help="imprime un único objeto JSON en la salida estándar")
    args = parser.parse_args(argv)
    if args.electores < 1 or args.boletas < 1 or args.clientes < 1:
        parser.error("--electores, --boletas y --clientes deben ser al menos 1")
    resultado = correr(args, _avisar)
    if args.json:
        print(json.dumps(resultado, ensure_ascii=False))
    else:
        print(resumen(resultado))
    return 0


if __name__ == "__main__":
    sys.exit(main())
