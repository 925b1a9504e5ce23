export { type Admission, admit, noteNotRun, settle } from "./admit.ts";
export {
  type AdmitContext,
  type Admitted,
  createRunControl,
  holdFor,
  ORG_LEDGER_REF,
  type OrgLedger,
  type PullRequestState,
  type RunControl,
  type RunControlOptions,
  reserveFor,
} from "./control.ts";
export * from "./ledger.ts";
