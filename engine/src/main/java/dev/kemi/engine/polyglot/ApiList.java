package dev.kemi.engine.polyglot;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.KemiFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code app_python.api_list} / {@code app_jsdt.api_list} RPC result, as plain maps and lists. */
public final class ApiList {
    private ApiList() {}

    /** {msize: N, methods: [{func: {ret, module, name, params}}]} for every KEMI export of the table. */
    public static Map<String, Object> of(FunctionTable table) {
        List<Object> methods = new ArrayList<>();
        for (Map<String, KemiFunction> module : table.kemiModules().values()) {
            for (KemiFunction f : module.values()) {
                Map<String, Object> func = new LinkedHashMap<>();
                func.put("ret", f.returns().apiName());
                func.put("module", f.module());
                func.put("name", f.name());
                func.put("params", f.paramList());
                methods.add(Map.of("func", func));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("msize", methods.size());
        out.put("methods", methods);
        return out;
    }
}
