"""Stand-in for the PyPI module `bitmap`, which tini's test/run_inner_tests.py imports.

Our own code, with only what that suite uses: BitMap.fromstring(bits) reads a string
of '0'/'1' whose last character is bit 0 (the suite passes bin(mask) of a
/proc/PID/status Sig* field), and nonzero() lists the indexes of the set bits in
increasing order (bit n is signal n + 1).
"""


class BitMap:
    def __init__(self, value=0, size=0):
        self._value = value
        self._size = size

    @classmethod
    def fromstring(cls, bits):
        if not bits or set(bits) - {"0", "1"}:
            raise ValueError("not a bit string: {!r}".format(bits))
        return cls(int(bits, 2), len(bits))

    def nonzero(self):
        return [i for i in range(self._size) if (self._value >> i) & 1]
