// Length caps on the short texts a person types: labels, titles, reasons, criteria, file names and types. The CLI and the
// contract refuse longer ones before anything is signed; counts are in UTF-16 code units, as JavaScript counts.

/** A device's or a client's label, an identity's name. */
export const MAX_LABEL_CHARS = 80;
/** A feat's title. */
export const MAX_TITLE_CHARS = 200;
/** A rejection's reason. */
export const MAX_REASON_CHARS = 1000;
/** A feat's criteria. */
export const MAX_CRITERIA_CHARS = 2000;
/** An attached file's name and its media type (image/jpeg). */
export const MAX_FILE_NAME_CHARS = 255;
export const MAX_MEDIA_TYPE_CHARS = 255;
/** A review's reason ("Report this witness"). */
export const MAX_REVIEW_REASON_CHARS = 1000;
