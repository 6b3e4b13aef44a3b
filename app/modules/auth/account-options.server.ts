import type { Role } from "../../../db/types";
import { ROLES } from "../org/labels";
import { enterpriseChoices } from "../org/people.server";
import { regionOptions } from "../org/regions.server";
import { can, listScope, type Actor } from "./policy";

/** The roles, enterprises and regions this actor may give an account. */
export async function accountOptions(actor: Actor) {
  const enterprises = await enterpriseChoices(listScope(actor), 1000);
  const roles = ROLES.filter(
    (role) =>
      enterprises.some((e) => can(actor, "create", { type: "account", role, enterpriseId: e.id })) ||
      can(actor, "create", { type: "account", role, enterpriseId: null }),
  ) as Role[];
  const regions = actor.role === "admin" ? await regionOptions() : [];
  return { roles, enterprises, regions };
}
