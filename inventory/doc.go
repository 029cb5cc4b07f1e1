// Package inventory owns the list of managed hosts: it parses Ansible's YAML
// and INI inventory formats, and the group_vars and host_vars directories
// next to them, into hosts, groups and their variables, and selects hosts
// with Ansible host patterns. It is configuration only; it knows nothing
// about connecting to hosts or running tasks.
//
// # Format
//
// The top level maps group names to groups. It usually holds only "all",
// but may list other groups directly; a group that is nobody's child is a
// child of "all". A group is a mapping with at most the keys hosts, vars
// and children:
//
//	all:
//	  vars: {ansible_user: ops}
//	  hosts:
//	    ctl.example.com:
//	  children:
//	    activegates:
//	      hosts:
//	        ag-1.example.com: {ansible_host: 10.0.0.5}
//	        ag-dmz-[01:03].example.com:
//
// A host maps to its vars or to nothing. A group or host may be listed in
// several places; the listings merge. A host name may contain ranges as in
// Ansible: web[01:10] (zero padding kept), db[a:f], app[1:9:2] (step 2).
// The group "ungrouped" holds the hosts that belong to no group but "all".
//
// # INI format
//
// A file ending in .ini, or without a .yml, .yaml or .json extension whose
// first line that is not blank or a comment is a section header or a host
// line, is read as Ansible's INI format, into the same model:
//
//	ctl.example.com                 # before any section: ungrouped
//	[activegates]
//	ag-1 ansible_host=10.0.0.5 ansible_port=2222
//	ag-dmz-[01:03]
//	[activegates:vars]
//	ansible_user=gateway
//	[gateways:children]
//	activegates
//
// Lines starting with # or ; are comments. Host lines are split like a
// shell command line (quotes, backslashes, # starts a comment). Values are
// read as Ansible reads them, as Python literals: 'a' and "a" are strings,
// 2222 and 1.5 numbers, True, False and None are true, false and nil, [..]
// and {..} collections; anything else, lower-case true included, stays the
// text as written. In a host line, quotes are removed before that, so
// port="22" is the number 22. As in Ansible, a :vars section or a
// :children line must name a group that some [group] or [group:children]
// section defines, anywhere in the file.
//
// # group_vars and host_vars
//
// Load also reads the directories group_vars and host_vars next to the
// inventory file, as Ansible does (Parse does not): for a group or host
// NAME, the first of NAME, NAME.yml, NAME.yaml and NAME.json that exists.
// A directory contributes every .yml, .yaml, .json or extension-less file
// in it and its subdirectories, in lexical order, later files overriding
// earlier keys; hidden files and backups ending in ~ are skipped. Files for
// a group or host the inventory does not define are ignored. Their
// ansible_group_priority is an ordinary variable: as in Ansible, only the
// inventory file sets a group's priority.
//
// # Variable precedence
//
// Host.Vars holds the variables the inventory gives a host, merged from the
// lowest precedence to the highest. A variable set at a higher level replaces
// the whole lower value: dictionaries are not merged (Ansible's default,
// hash_behaviour=replace).
//
// The layers are Ansible's ("inventory file or script group vars" <
// "inventory group_vars/all" < "inventory group_vars/*" < "inventory file
// or script host vars" < "inventory host_vars/*"):
//
//  1. The vars the inventory file gives the host's groups, in group order
//     (below).
//  2. The host's group_vars/all files.
//  3. The group_vars files of the host's other groups, in group order. So
//     any group_vars file overrides every group var of the inventory file,
//     even one of a deeper group.
//  4. The host's own vars in the inventory file. A host listed several
//     times merges its vars in file order, later listings overriding
//     earlier keys.
//  5. The host's host_vars files (highest).
//
// Group order starts with "all"; the other groups follow by depth: a
// group's depth is the length of the longest chain of children leading to
// it from "all", so a child group overrides its parents. Among groups of
// the same depth, the group with the higher ansible_group_priority wins (an
// integer, default 1); among groups of the same depth and priority, the
// name later in alphabetical order wins. Depth always comes first, as in
// Ansible: priority never lets a parent override its child.
//
// A group listed several times merges its vars the same way.
// ansible_group_priority is read by the inventory and reported as
// Group.Priority; it is not one of the group's Vars.
package inventory
