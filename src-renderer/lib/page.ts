/** What the shell gives every page (the routes are declared in app/routes.tsx). */
export interface PageProps {
  /** The URL segments after the section key (`#/applicants/ID` → ['ID']). */
  params: string[];
}
