package dev.kemi.engine.cfg;

/** A compiled route block; the body is filled after every block exists, so calls can refer to it. */
final class Route {
    final RouteBlock block;
    Stmt[] body = new Stmt[0];

    Route(RouteBlock block) {
        this.block = block;
    }

    String label() {
        return block.label();
    }
}
