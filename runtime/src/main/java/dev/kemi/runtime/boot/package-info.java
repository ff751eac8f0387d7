/**
 * The composition of one proxy, shared by the two composition roots ({@code cli} and
 * {@code compare}) and the tests: a fresh module catalog per proxy with the script engines'
 * modules added ({@link dev.kemi.runtime.boot.ProxyLoader#catalog}), the cfg loaded against it,
 * and the {@code ProxyConfig} the core runs. Nothing below it (modules, core, transport) knows it.
 */
package dev.kemi.runtime.boot;
