// Package inventory owns the list of managed hosts: it parses Ansible's YAML
// inventory format into hosts, groups and their variables, and selects hosts
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
// # Variable precedence
//
// Host.Vars holds the variables the inventory gives a host, merged from the
// lowest precedence to the highest. A variable set at a higher level replaces
// the whole lower value: dictionaries are not merged (Ansible's default,
// hash_behaviour=replace).
//
//  1. The vars of the group "all".
//  2. The vars of every other group the host belongs to, directly or through
//     children, ordered by depth: a group's depth is the length of the
//     longest chain of children leading to it from "all", so a child group
//     overrides its parents. Among groups of the same depth, the group with
//     the higher ansible_group_priority wins (an integer, default 1); among
//     groups of the same depth and priority, the name later in alphabetical
//     order wins. Depth always comes first, as in Ansible: priority never
//     lets a parent override its child.
//  3. The host's own vars (highest). A host listed several times merges its
//     vars in file order, later listings overriding earlier keys.
//
// A group listed several times merges its vars the same way.
// ansible_group_priority is read by the inventory and reported as
// Group.Priority; it is not one of the group's Vars.
package inventory
