/**
 * Where the public reads a material: the link that TV guides, calendars and YouTube descriptions
 * carry back to the repository. One place, so every outside copy points to the same address.
 */
export function materialUrl(publicUrl: string, materialId: string): string {
  return `${publicUrl}/api/v1/materials/${materialId}`;
}
