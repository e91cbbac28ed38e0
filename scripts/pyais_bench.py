# Times pyais on an NMEA file: sentences/s over every "!"-line, for docs/PERFORMANCE.md.
# Usage: .venv/bin/python scripts/pyais_bench.py FILE
import sys, time
from pyais import decode
from pyais.stream import ByteStream
t=time.time(); n=0
with open(sys.argv[1],'rb') as f:
    lines=[l for l in f.read().split(b'\n') if l.startswith(b'!')]
for msg in ByteStream(lines):
    try:
        msg.decode(); n+=1
    except Exception:
        pass
dt=time.time()-t
print(f"pyais: {len(lines)} sentences, {n} messages in {dt:.2f} s = {len(lines)/dt:,.0f} sentences/s")
