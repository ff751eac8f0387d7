import KSR as KSR


def mod_init(:
    return None
