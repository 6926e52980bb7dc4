// Every command of the extension by id, in one place: the code registers and runs them through
// CommandId, and a unit test checks that package.json contributes exactly these (but the hidden
// bench hook) with the same ids. Context keys for `when` clauses live here too.

export const CommandId = {
  trainModel: 'entityLens.trainModel',
  cancelTraining: 'entityLens.cancelTraining',
  showModelReport: 'entityLens.showModelReport',
  rollBackModel: 'entityLens.rollBackModel',
  resetModel: 'entityLens.resetModel',
  tagSelectionAs: 'entityLens.tagSelectionAs',
  acceptEntity: 'entityLens.acceptEntity',
  changeLabel: 'entityLens.changeLabel',
  removeEntity: 'entityLens.removeEntity',
  resizeEntity: 'entityLens.resizeEntity',
  acceptAllInDocument: 'entityLens.acceptAllInDocument',
  acceptAllInSelection: 'entityLens.acceptAllInSelection',
  markLabelsComplete: 'entityLens.markLabelsComplete',
  undoLastCorrection: 'entityLens.undoLastCorrection',
  nextUncertainEntity: 'entityLens.nextUncertainEntity',
  previousUncertainEntity: 'entityLens.previousUncertainEntity',
  addLabel: 'entityLens.addLabel',
  exportAnnotations: 'entityLens.exportAnnotations',
  importAnnotations: 'entityLens.importAnnotations',
  retagDocument: 'entityLens.retagDocument',
  showLog: 'entityLens.showLog',
  openDashboard: 'entityLens.openDashboard',
  tagThisDocument: 'entityLens.tagThisDocument',
  stopTaggingThisDocument: 'entityLens.stopTaggingThisDocument',
  showMenu: 'entityLens.showMenu',
  nextOccurrence: 'entityLens.nextOccurrence',
  previousOccurrence: 'entityLens.previousOccurrence',
  nextLabelOccurrence: 'entityLens.nextLabelOccurrence',
  openAsPages: 'entityLens.openAsPages',
  correctField: 'entityLens.correctField',
  clearField: 'entityLens.clearField',
  copyFieldsAsJson: 'entityLens.copyFieldsAsJson',
  exportFields: 'entityLens.exportFields',
  setDocumentKind: 'entityLens.setDocumentKind',
  revealFieldValue: 'entityLens.revealFieldValue',
  timings: 'entityLens._timings',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];

/** Commands that are registered but not contributed (no title, not in the palette). */
export const HIDDEN_COMMANDS: readonly CommandId[] = [CommandId.timings];

export const ContextKey = {
  /** the active editor's document is tagged */
  enabledForEditor: 'entityLens.enabledForEditor',
  /** the active editor's document could be tagged but is not (Tag This Document is on offer) */
  canTagEditor: 'entityLens.canTagEditor',
  /** the active editor's latest change is a correction: Ctrl+Z / Cmd+Z undoes it */
  canUndoCorrection: 'entityLens.canUndoCorrection',
} as const;
