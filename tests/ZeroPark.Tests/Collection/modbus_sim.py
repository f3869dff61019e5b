#!/usr/bin/python3
"""Modbus TCP simulator for ZeroPark's collection tests (Debian's python3-pymodbus 3.0.0).

Usage: modbus_sim.py PORT SPEC.json
SPEC: {"units": {"1": {"holding": [[address, [reg, reg, ...]], ...], "input": [[address, [...]], ...]}}}
Listens on 127.0.0.1:PORT only; prints "ready" once listening. Registers not in the spec read as 0.
"""
import asyncio
import json
import socket
import sys
import time

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncTcpServer


def block(entries):
    regs = [0] * 1100
    for address, values in entries:
        regs[address:address + len(values)] = values
    return ModbusSequentialDataBlock(0, regs)


def main():
    port = int(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        spec = json.load(f)
    slaves = {}
    for unit, tables in spec["units"].items():
        slaves[int(unit)] = ModbusSlaveContext(
            hr=block(tables.get("holding", [])), ir=block(tables.get("input", [])),
            di=ModbusSequentialDataBlock(0, [0] * 10), co=ModbusSequentialDataBlock(0, [0] * 10), zero_mode=True)
    context = ModbusServerContext(slaves=slaves, single=False)

    async def announce():
        # Wait (bounded) until the port accepts connections, then tell the fixture.
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                await asyncio.sleep(0.05)
        print("ready", flush=True)

    async def run():
        asyncio.get_running_loop().create_task(announce())
        await StartAsyncTcpServer(context=context, address=("127.0.0.1", port))

    asyncio.run(run())


if __name__ == "__main__":
    main()
