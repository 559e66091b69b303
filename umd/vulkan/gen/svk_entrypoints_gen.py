#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""svk_entrypoints_gen.py - generate the Vulkan entry-point tables of the
svmgpu ICD from the Khronos registry (vk.xml).

For every command of the core versions up to --api-version and of the
extensions named with --instance-ext / --device-ext, it writes:

  svk_entrypoints.h   prototypes of the driver's svk_<Command> functions,
                      the extension enum and the lookup interface;
  svk_entrypoints.c   one table of every exposed command name (including
                      aliases) sorted by name, found with bsearch(), with
                      the level (global / instance / physical device /
                      device) and the version or extensions that make the
                      name visible; the extension table; and a stub for
                      every command the driver's sources do not define;
  svk_unimplemented.txt  the commands that resolve to such a stub.

A command counts as implemented when one of the --source files defines
it, recognised by a line starting with "svk_<Command>(" (the function
name at the start of a line, as every definition in the driver is
written). Only the Python standard library is used.
"""

import argparse
import re
import sys
import xml.etree.ElementTree as ET

LEVEL_GLOBAL, LEVEL_INSTANCE, LEVEL_PHYSDEV, LEVEL_DEVICE = range(4)
LEVEL_NAMES = ['SVK_LEVEL_GLOBAL', 'SVK_LEVEL_INSTANCE',
               'SVK_LEVEL_PHYSICAL_DEVICE', 'SVK_LEVEL_DEVICE']
GLOBAL_COMMANDS = {'vkCreateInstance', 'vkEnumerateInstanceExtensionProperties',
                   'vkEnumerateInstanceLayerProperties',
                   'vkEnumerateInstanceVersion', 'vkGetInstanceProcAddr'}


def for_vulkan(elem):
    api = elem.get('api')
    return api is None or 'vulkan' in api.split(',')


class Command:
    def __init__(self, name, ret, params):
        self.name = name
        self.ret = ret
        self.params = params          # [(decl text, name, type)]
        self.level = None

    @property
    def short(self):
        return self.name[2:]


def parse_commands(root):
    cmds, aliases = {}, {}
    for c in root.find('commands').findall('command'):
        if not for_vulkan(c):
            continue
        if c.get('alias'):
            aliases[c.get('name')] = c.get('alias')
            continue
        proto = c.find('proto')
        name = proto.find('name').text
        ret = ''.join(proto.itertext())[:-len(name)].strip()
        params = []
        for p in c.findall('param'):
            if not for_vulkan(p):
                continue
            decl = ' '.join(''.join(p.itertext()).split())
            params.append((decl, p.find('name').text, p.find('type').text))
        cmd = Command(name, ret, params)
        first = params[0][2] if params else None
        if name in GLOBAL_COMMANDS:
            cmd.level = LEVEL_GLOBAL
        elif first == 'VkInstance':
            cmd.level = LEVEL_INSTANCE
        elif first == 'VkPhysicalDevice':
            cmd.level = LEVEL_PHYSDEV
        elif first in ('VkDevice', 'VkQueue', 'VkCommandBuffer'):
            cmd.level = LEVEL_DEVICE
        else:
            cmd.level = LEVEL_GLOBAL
        cmds[name] = cmd
    return cmds, aliases


def version_key(number):
    major, minor = number.split('.')
    return int(major) * 100 + int(minor)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--xml', required=True)
    ap.add_argument('--extra-xml', action='append', default=[],
                    help='registry fragment (the driver\'s own extensions) '
                         'whose <commands> and <extensions> are merged in')
    ap.add_argument('--api-version', required=True, help='e.g. 1.2')
    ap.add_argument('--instance-ext', action='append', default=[])
    ap.add_argument('--device-ext', action='append', default=[])
    ap.add_argument('--source', action='append', default=[])
    ap.add_argument('--out-h', required=True)
    ap.add_argument('--out-c', required=True)
    ap.add_argument('--out-list', required=True)
    args = ap.parse_args()

    root = ET.parse(args.xml).getroot()
    for extra in args.extra_xml:
        # Append the fragment's commands and extensions to vk.xml's.
        xroot = ET.parse(extra).getroot()
        for tag in ('commands', 'extensions'):
            for child in xroot.find(tag):
                root.find(tag).append(child)
    cmds, aliases = parse_commands(root)
    max_ver = version_key(args.api_version)
    exts = args.instance_ext + args.device_ext

    # name -> list of requirements: ('version', key) or ('ext', index)
    exposed = {}

    def require(name, req):
        exposed.setdefault(name, [])
        if req not in exposed[name]:
            exposed[name].append(req)

    versions = []
    for f in root.findall('feature'):
        if not for_vulkan(f) or not f.get('name').startswith('VK_VERSION_'):
            continue
        key = version_key(f.get('number'))
        if key > max_ver:
            continue
        versions.append(key)
        for r in f.findall('require'):
            for c in r.findall('command'):
                require(c.get('name'), ('version', key))

    ext_info = []
    ext_elems = {e.get('name'): e for e in root.find('extensions')}
    for i, ename in enumerate(exts):
        e = ext_elems.get(ename)
        if e is None:
            sys.exit('unknown extension ' + ename)
        kind = e.get('type')
        want = 'instance' if ename in args.instance_ext else 'device'
        if kind != want:
            sys.exit('%s is a %s extension' % (ename, kind))
        spec = None
        for r in e.findall('require'):
            for en in r.findall('enum'):
                if en.get('name', '').endswith('_SPEC_VERSION'):
                    spec = en.get('value')
            # A block that depends on another extension or a newer core
            # version is only exposed when that one is too.
            dep_ext = r.get('extension')
            dep_feat = r.get('feature') or r.get('depends')
            if dep_ext and dep_ext not in exts:
                continue
            if dep_feat and dep_feat.startswith('VK_VERSION_') and \
                    version_key(dep_feat[len('VK_VERSION_'):].replace('_', '.')) > max_ver:
                continue
            if dep_feat and not dep_feat.startswith('VK_VERSION_') and \
                    dep_feat not in exts:
                continue
            for c in r.findall('command'):
                require(c.get('name'), ('ext', i))
        ext_info.append((ename, want, spec or '1'))

    def canonical(name):
        while name in aliases:
            name = aliases[name]
        return name

    sources = ''
    for s in args.source:
        with open(s, encoding='utf-8') as fh:
            sources += fh.read()
    defined = set(re.findall(r'^svk_([A-Za-z0-9]+)\(', sources, re.M))

    canon = sorted({canonical(n) for n in exposed})
    missing = [c for c in canon if cmds[c].short not in defined]

    # ---------------------------------------------------------------- .h
    h = []
    h.append('/* Generated by svk_entrypoints_gen.py from vk.xml: do not edit. */')
    h.append('/* svk_entrypoints.h - entry points and extensions of the svmgpu ICD. */')
    h.append('#ifndef SVK_ENTRYPOINTS_H\n#define SVK_ENTRYPOINTS_H\n')
    h.append('#include <stdbool.h>\n#include <stdint.h>')
    h.append('#include <vulkan/vulkan_core.h>')
    h.append('#include <vulkan/vulkan_svmgpu.h>\n')
    h.append('#define SVK_GEN_API_VERSION VK_MAKE_API_VERSION(0, %d, %d, 0)\n'
             % (max_ver // 100, max_ver % 100))
    h.append('enum svk_level {')
    for n in LEVEL_NAMES:
        h.append('\t%s,' % n)
    h.append('};\n')
    h.append('/* The extensions the driver knows, instance ones first. */')
    h.append('enum svk_ext {')
    for ename, _, _ in ext_info:
        h.append('\tSVK_%s,' % ename)
    h.append('\tSVK_EXT_COUNT,\n};')
    h.append('#define SVK_INSTANCE_EXT_COUNT %d\n' % len(args.instance_ext))
    h.append('/* One extension: its properties and whether it is a device one. */')
    h.append('struct svk_ext_info {\n\tVkExtensionProperties props;\n\tbool device;\n};')
    h.append('extern const struct svk_ext_info svk_ext_table[SVK_EXT_COUNT];\n')
    h.append('/** struct svk_extension_set - enabled (or supported) extensions. */')
    h.append('struct svk_extension_set {\n\tbool on[SVK_EXT_COUNT];\n};\n')
    h.append('/**\n * struct svk_entrypoint - one command name the driver exposes.')
    h.append(' * @name: the name, e.g. "vkCreateBuffer" (or an alias of it).')
    h.append(' * @level: which vkGet*ProcAddr may return it.')
    h.append(' * @core: lowest API version (VK_MAKE_API_VERSION) in which the name is')
    h.append(' *\tcore, or 0 if it is only an extension\'s.')
    h.append(' * @exts: extensions of which the name is a command; -1 ends the list.')
    h.append(' * @implemented: false if @func is a stub that reports itself.')
    h.append(' * @func: the implementation.\n */')
    h.append('struct svk_entrypoint {\n\tconst char *name;\n\tenum svk_level level;')
    h.append('\tuint32_t core;\n\tint8_t exts[4];\n\tbool implemented;')
    h.append('\tPFN_vkVoidFunction func;\n};\n')
    h.append('/* svk_entrypoint_lookup - the exposed command called @name, or NULL. */')
    h.append('const struct svk_entrypoint *svk_entrypoint_lookup(const char *name);')
    h.append('/* svk_entrypoint_count - number of exposed names (for tests). */')
    h.append('extern const unsigned int svk_entrypoint_count;')
    h.append('extern const struct svk_entrypoint svk_entrypoints[];\n')
    h.append('/* The driver\'s implementations (and the generated stubs). */')
    for c in canon:
        cmd = cmds[c]
        params = ', '.join(p[0] for p in cmd.params) or 'void'
        h.append('%s svk_%s(%s);' % (cmd.ret, cmd.short, params))
    h.append('\n#endif /* SVK_ENTRYPOINTS_H */')

    # ---------------------------------------------------------------- .c
    o = []
    o.append('/* Generated by svk_entrypoints_gen.py from vk.xml: do not edit. */')
    o.append('/*\n * svk_entrypoints.c - the name table vkGet*ProcAddr search, the')
    o.append(' * extension table, and stubs for the commands the driver does not')
    o.append(' * implement yet (listed in svk_unimplemented.txt and docs/vulkan.md).\n */')
    o.append('#include <stdlib.h>\n#include <string.h>\n')
    o.append('#include "svk_entrypoints.h"\n#include "svk_private.h"\n')
    o.append('const struct svk_ext_info svk_ext_table[SVK_EXT_COUNT] = {')
    for ename, kind, spec in ext_info:
        o.append('\t[SVK_%s] = { { "%s", %s }, %s },' %
                 (ename, ename, spec, 'true' if kind == 'device' else 'false'))
    o.append('};\n')
    for c in missing:
        cmd = cmds[c]
        params = ', '.join(p[0] for p in cmd.params) or 'void'
        o.append('%s\nsvk_%s(%s)\n{' % (cmd.ret, cmd.short, params))
        for p in cmd.params:
            o.append('\t(void)%s;' % p[1])
        o.append('\tsvk_report_unimplemented("%s");' % cmd.name)
        if cmd.ret == 'VkResult':
            o.append('\treturn VK_ERROR_FEATURE_NOT_PRESENT;')
        elif cmd.ret != 'void':
            o.append('\treturn 0;')
        o.append('}\n')
    o.append('const struct svk_entrypoint svk_entrypoints[] = {')
    for name in sorted(exposed):
        c = canonical(name)
        cmd = cmds[c]
        core = [r[1] for r in exposed[name] if r[0] == 'version']
        ext = [r[1] for r in exposed[name] if r[0] == 'ext'][:3] + [-1]
        core_s = ('VK_MAKE_API_VERSION(0, %d, %d, 0)' % (min(core) // 100, min(core) % 100)
                  if core else '0')
        o.append('\t{ "%s", %s, %s, { %s }, %s, (PFN_vkVoidFunction)svk_%s },' %
                 (name, LEVEL_NAMES[cmd.level], core_s,
                  ', '.join(str(x) for x in ext),
                  'false' if c in missing else 'true', cmd.short))
    o.append('};\n')
    o.append('const unsigned int svk_entrypoint_count =')
    o.append('\tsizeof(svk_entrypoints) / sizeof(svk_entrypoints[0]);\n')
    o.append('static int\ncompare_entrypoint(const void *key, const void *elem)\n{')
    o.append('\treturn strcmp(key, ((const struct svk_entrypoint *)elem)->name);\n}\n')
    o.append('const struct svk_entrypoint *\nsvk_entrypoint_lookup(const char *name)\n{')
    o.append('\tif (!name)\n\t\treturn NULL;')
    o.append('\treturn bsearch(name, svk_entrypoints, svk_entrypoint_count,')
    o.append('\t\t       sizeof(svk_entrypoints[0]), compare_entrypoint);\n}')

    with open(args.out_h, 'w') as f:
        f.write('\n'.join(h) + '\n')
    with open(args.out_c, 'w') as f:
        f.write('\n'.join(o) + '\n')
    with open(args.out_list, 'w') as f:
        f.write('# Commands of the exposed API that resolve to a stub\n')
        f.write('# (VK_ERROR_FEATURE_NOT_PRESENT / no effect, reported on stderr).\n')
        for c in missing:
            f.write(c + '\n')


if __name__ == '__main__':
    main()
