package dev.kemi.runtime.modules;

import dev.kemi.api.FunctionTable;
import java.util.ArrayList;
import java.util.List;

/** The function table of every module we have, for what reads declarations without a cfg (kemi exports, compare). */
public final class ModuleTable {
    private ModuleTable() {}

    /** Fresh instances of the core modules and every loadable one. */
    public static FunctionTable ofAllModules() {
        StandardModules cat = new StandardModules();
        List<Object> mods = new ArrayList<>(cat.builtins());
        for (String n : cat.loadNames()) mods.add(cat.create(n).orElseThrow());
        return FunctionTable.build(mods);
    }
}
