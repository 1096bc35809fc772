import itertools


def batched(iterable, size):
    """Lists of at most `size` items (itertools.batched arrives with Python 3.12)."""
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
