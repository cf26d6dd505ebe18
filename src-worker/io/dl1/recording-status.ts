/**
 * A live recording's status (rotating DL1 files), as the API carries it: types only
 * (rotating-recorder.ts records).
 */

export interface RotatingRecorderStatus {
  /** the file being written now (complete files are renamed from *.h5.partial to *.h5) */
  currentFile?: string;
  /**
   * the newest files completed in this recording, at most FILES_LISTED (a
   * long run at one file a second would otherwise send thousands of paths
   * with every status); the count and the first are below
   */
  filesCompleted: string[];
  /** files completed in this recording */
  filesCompletedCount: number;
  /** the first file completed */
  firstFileCompleted?: string;
  /** array events written (all files of this recording) */
  eventsWritten: number;
  /** telescope images written */
  imagesWritten: number;
  /** bytes written (all files) */
  bytesWritten: number;
  /** seconds since the epoch of the last file closed (flushed to disk) */
  lastFlushTime?: number;
  /**
   * cameras of the completed files written without a geometry table, with
   * why (neither announced by the stream nor shipped with Lightpool, or
   * another pixel count): ctapipe cannot read those files' instrument
   */
  camerasWithoutGeometry?: string[];
  /** set when recording stopped because of an error (disk full, permission ...) */
  error?: string;
}
