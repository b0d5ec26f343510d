"""(18.4) Disparadores que hacen de solo-anexar la bitácora y el historial de solicitudes.

Ni siquiera un error de programación del servidor puede reescribir el pasado: la base de
datos misma rechaza UPDATE y DELETE sobre ``bitacora`` y ``evento_solicitud``.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

TABLAS_SOLO_ANEXAR = ("bitacora", "evento_solicitud")


def instalar_protecciones(motor: Engine) -> None:
    with motor.begin() as con:
        if motor.dialect.name == "sqlite":
            for tabla in TABLAS_SOLO_ANEXAR:
                for operacion in ("UPDATE", "DELETE"):
                    con.execute(
                        text(
                            f"CREATE TRIGGER IF NOT EXISTS solo_anexar_{tabla}_{operacion.lower()} "
                            f"BEFORE {operacion} ON {tabla} "
                            f"BEGIN SELECT RAISE(ABORT, 'tabla de solo-anexar: {tabla}'); END"
                        )
                    )
        elif motor.dialect.name == "postgresql":
            con.execute(
                text(
                    "CREATE OR REPLACE FUNCTION vmre_solo_anexar() RETURNS trigger AS $$ "
                    "BEGIN RAISE EXCEPTION 'tabla de solo-anexar: %', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
                )
            )
            for tabla in TABLAS_SOLO_ANEXAR:
                con.execute(text(f"DROP TRIGGER IF EXISTS solo_anexar_{tabla} ON {tabla}"))
                con.execute(
                    text(
                        f"CREATE TRIGGER solo_anexar_{tabla} BEFORE UPDATE OR DELETE ON {tabla} "
                        "FOR EACH ROW EXECUTE FUNCTION vmre_solo_anexar()"
                    )
                )
