/* The PCI side of a parent: identity, uevent, resource and config
 * contents of the PCI function that hosts the mdev types. */
#ifndef SIMFS_PCI_H
#define SIMFS_PCI_H

#include "model.h"
#include "tree.h"

/* adds devpath/{vendor,device,...,resource,config,driver,subsystem} and
 * the bus/pci links for a GVT or vendor parent */
void pci_build(struct node *root, const struct sim_parent *p);

#endif
