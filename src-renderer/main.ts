/** The Lightpool renderer: connects to the backend and shows the live array. */
import { connectApi } from './api/connect.js';
import { LiveView } from './app/live-view.js';
import { Notices } from './app/notices.js';
import { createViewToolbar, setWaveformLevels, syncViewToolbar, waveformLevelWhy } from './app/view-toolbar.js';
import { RunControlBar } from './run-control/run-control-bar.js';
import { Tabs } from './app/tabs.js';
import { TankView } from './tank3d/tank-view.js';
import { PointCloudView } from './points/point-cloud-view.js';
import { Array3DView } from './array3d/array3d-view.js';
import { MonitorView } from './live-monitor/monitor-view.js';
import { HistogramPanel } from './histograms/histogram-panel.js';
import { setupFileUi } from './file/file-ui.js';
import { fileProblem } from './file/file-events.js';
import { LiveHistory } from './app/live-history.js';
import { LabView } from './lab/lab-view.js';
import { WaveformPanel } from './waveform/waveform-panel.js';

const api = connectApi();
const notices = new Notices();
const notify = (message: string, level: 'info' | 'warning' | 'error' = 'error') => notices.show(level, message);

const header = document.querySelector<HTMLElement>('#app-header')!;
const content = document.querySelector<HTMLElement>('#app-content')!;
const connection = document.querySelector<HTMLElement>('#connection')!;

const runControl = new RunControlBar(api, notify);
const live = new LiveView(api);
const toolbar = createViewToolbar(
  live.currentSettings,
  (c) => live.updateSettings(c),
  (common) => live.setCommonScale(common),
);
// R1 Σ / R0 Σ are offered for what the shown input has (a file's waveforms; none on the live stream)
live.onWaveformLevels = (levels) => {
  setWaveformLevels(toolbar, levels, live.currentInput);
  waveforms.setWaveformLevels(levels);
  const q = live.currentSettings.quantity;
  if ((q === 'r0' || q === 'r1') && waveformLevelWhy(levels, q)) syncViewToolbar(toolbar, live.updateSettings({ quantity: 'image' }), live.isCommonScale);
  // a file whose R0 has one gain: the high one (the gain choice is disabled there)
  if (levels && levels.r0.gains < 2 && live.currentSettings.r0Gain === 'low')
    syncViewToolbar(toolbar, live.updateSettings({ r0Gain: 'high' }), live.isCommonScale);
};
live.onSumsError = (message) => notify(message, 'warning');
const tabs = new Tabs(content);
header.append(tabs.bar, runControl.element, toolbar);
tabs.add('event', 'Event', { element: live.element });
tabs.add('tank', 'Tank 3D', new TankView(api, notify));
const points = new PointCloudView(api, notify, () => tabs.show('points'));
tabs.add('points', 'Points', points);
const array3d = new Array3DView(api, notify);
tabs.add('array3d', 'Array 3D', array3d);
api.onState((state) => {
  if (state === 'open') array3d.load().catch((err: Error) => notify(`Array 3D: could not load the subarray: ${err.message}`));
});
const histogramPanel = new HistogramPanel(api, notify);
const monitor = new MonitorView(
  api,
  notify,
  (name) => {
    tabs.show('histograms');
    histogramPanel.showLive(name);
  },
  () => tabs.show('monitor'),
);
header.append(monitor.badge.element);
tabs.add('monitor', 'Monitor', monitor);
tabs.add('histograms', 'Histograms', { element: histogramPanel.element, shown: () => histogramPanel.shownTab(), hidden: () => histogramPanel.hiddenTab() });
api.onState((state) => {
  if (state !== 'open') return;
  monitor.load().catch((err: Error) => console.warn(`live monitor: ${err.message}`));
  void histogramPanel.load();
});
// Browser tab, Open…, DL1 file events in the Event tab, export dialog; Array 3D follows the Event tab's file position
const liveHistory = new LiveHistory(api, live, notify);
// the waveform view under the cameras: a pixel click on a file event with waveforms, or on the live
// stream (the newest waveforms the live source sent, following the stream)
const waveforms = new WaveformPanel(
  api,
  { geometryOf: (telId) => live.cameraOf(telId)?.geometry, markPixels: (telId, marks) => live.cameraOf(telId)?.markPixels(marks) },
  notify,
);
live.addBelowCameras(waveforms.element);
if (live.currentInput === 'live') waveforms.setLive();
live.onInputChange = (input) => {
  if (input === 'live') waveforms.setLive();
  // a file is being opened: nothing of the live stream (or of a file shown before) stays in the waveform view
  else waveforms.clearEvent();
};
live.onLiveEventShown = () => waveforms.liveEventShown();
live.onPixelClick = (telId, pixel, shift) => waveforms.pixelClicked(telId, pixel, shift);
const fileUi = setupFileUi({
  api,
  live,
  tabs,
  notify,
  onFileEvent: (f, index, event) => {
    waveforms.setEvent(f, index);
    array3d.followFile(f, index, event);
  },
  // another file is opened, or back to live: the waveform view forgets the event it followed
  onFileCleared: () => waveforms.clearEvent(),
  showPointCloud: (source) => points.show(source),
});
array3d.navigate = (fileId, index) => fileUi.goToFileEvent(fileId, index);
// another image extractor for a sim_telarray file: the event is computed again (the waveforms follow it)
waveforms.extractor.onChanged = (fileId) => {
  const at = fileUi.currentFileEvent();
  if (at && at.fileId === fileId) fileUi.goToFileEvent(fileId, at.index);
};
// the lab detectors (spectroscopy, Compton imaging, image stacks), after the Browser that opens datasets in it
tabs.add('lab', 'Lab', new LabView(api, notify, () => tabs.show('lab')));
header.append(fileUi.openControl);
tabs.onChange((id) => {
  toolbar.hidden = id !== 'event';
});
document.body.append(notices.element);

api.onState((state, detail) => {
  connection.dataset.state = state;
  connection.textContent = detail;
});

// the one live status: the run-control bar; and a new live subarray (another simulated layout, or what a DAQ announced) rebuilds the live views
let liveSubarrayName: string | undefined;
api.on('live-status', (s) => {
  runControl.update(s);
  if (liveSubarrayName !== undefined && s.subarrayName !== liveSubarrayName) {
    if (live.currentInput === 'live') live.load().catch((err: Error) => notify(`Could not load the new subarray: ${err.message}`));
    array3d.load().catch((err: Error) => notify(`Array 3D: could not load the new subarray: ${err.message}`));
  }
  liveSubarrayName = s.subarrayName;
});
api.on('array-event', (e) => live.show(e));
api.on('notice', (n) => notices.show(n.level, n.message));
// a file cut short (its summary carries the problem) is a warning, not just news
api.on('file-opened', (f) => notices.show(fileProblem(f.summary) ? 'warning' : 'info', `opened ${f.path}: ${f.summary}`));

let loaded = false;
api.onState((state) => {
  if (state !== 'open' || loaded) return;
  loaded = true;
  Promise.all([api.request('app.info', {}), live.load(), api.request('live.status', {})])
    .then(([info, , status]) => {
      document.title = `${info.name} ${info.version}`;
      // what this connection may do: the views hide the rest (the backend refuses it anyway)
      document.body.dataset.role = info.role;
      fileUi.setDataDirectories(info.dataDirectories);
      if (info.dataDirectories?.length) monitor.runControl.setRecordDirectory(`${info.dataDirectories[0]}/recordings`);
      document.querySelector('#version')!.textContent = `v${info.version} · ${info.transport === 'websocket' ? 'serve mode' : 'desktop'}`;
      runControl.update(status);
      document.body.dataset.ready = 'true';
      void fileUi.restoreOpenFiles().catch((err: Error) => notify(`Could not list the open files: ${err.message}`));
    })
    .catch((err: Error) => {
      loaded = false;
      notify(`Could not load the instrument description: ${err.message}`);
    });
});

// Keyboard first: Space pause/resume, S start, X stop, H Hillas, M mask, G timing, T peak time,
// R R1 sums, Shift+R R0 sums, C common colour scale, E export the camera under the pointer as PNG (Shift+E: SVG),
// A all / triggered telescopes, F focus the camera under the pointer, ] [ next / previous camera, Esc back to all tiles.
window.addEventListener('keydown', (e) => {
  // typing goes to text fields and menus; a checkbox or radio button (e.g. the toolbar's) leaves the shortcuts working
  if (takesTyping(e.target, e.key)) return;
  if (tabs.handleKey(e)) {
    e.preventDefault();
    return;
  }
  if (tabs.currentId !== 'event' || e.ctrlKey || e.metaKey || e.altKey) return;
  if (live.onTileKey(e)) {
    e.preventDefault();
    return;
  } // camera tiles: A all telescopes, F focus, ] [ step, Esc back to the grid
  if (fileUi.onEventKey(e)) {
    e.preventDefault();
    return;
  } // file events: →/N ←/P Home End J jump B bookmark
  if (liveHistory.onKey(e)) {
    e.preventDefault();
    return;
  } // live: ← older, → newer, Esc back to live
  const s = live.currentSettings;
  const control = document.body.dataset.role !== 'view';
  switch (e.key) {
    case ' ':
      e.preventDefault();
      if (control) void runControl.togglePause();
      break;
    case 's':
    case 'S':
      if (control) void runControl.control('start');
      break;
    case 'x':
    case 'X':
      if (control) void runControl.control('stop');
      break;
    case 'h':
    case 'H':
      syncViewToolbar(toolbar, live.updateSettings({ showHillas: !s.showHillas }), live.isCommonScale);
      break;
    case 'm':
    case 'M':
      syncViewToolbar(toolbar, live.updateSettings({ showMask: !s.showMask }), live.isCommonScale);
      break;
    case 'g':
    case 'G':
      syncViewToolbar(toolbar, live.updateSettings({ showTiming: !(s.showTiming ?? true) }), live.isCommonScale);
      break;
    case 't':
    case 'T':
      syncViewToolbar(toolbar, live.updateSettings({ quantity: s.quantity === 'image' ? 'peakTime' : 'image' }), live.isCommonScale);
      break;
    case 'r':
    case 'R': {
      const level = e.key === 'r' ? 'r1' : 'r0';
      const why = waveformLevelWhy(live.waveformLevels, level, live.currentInput);
      if (why && s.quantity !== level) notify(`${level.toUpperCase()} Σ: ${why}`, 'warning');
      else syncViewToolbar(toolbar, live.updateSettings({ quantity: s.quantity === level ? 'image' : level }), live.isCommonScale);
      break;
    }
    case 'c':
    case 'C':
      syncViewToolbar(toolbar, s, live.setCommonScale(!live.isCommonScale));
      break;
    case 'e':
      live.exportHovered('png')?.catch((err: Error) => notify(`export failed: ${err.message}`));
      break;
    case 'E':
      live.exportHovered('svg')?.catch((err: Error) => notify(`export failed: ${err.message}`));
      break;
    default:
      return;
  }
});

// Files dropped on the window open in the desktop app (the browser cannot give a file's path).
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => {
  e.preventDefault();
  const files = [...(e.dataTransfer?.files ?? [])];
  if (files.length === 0) return;
  if (!window.lightpool) {
    notify('Dropping files opens them in the desktop app; in a browser, open the file on the serving machine with `lightpool serve FILE`.', 'warning');
    return;
  }
  for (const f of files) {
    const path = window.lightpool.pathForFile(f);
    api.request('file.open', { path }).then(
      (r) => notices.show('info', `opened ${r.path}`),
      (err: Error) => notify(err.message),
    );
  }
});

window.addEventListener('error', (e) => console.error('Lightpool renderer error:', e.message));

/**
 * Whether `key` pressed in `target` is its own, not a shortcut: every key in text fields, menus and
 * editable text; Space and Enter (and a radio button's arrows) in checkboxes, radio buttons and the like.
 */
function takesTyping(target: EventTarget | null, key: string): boolean {
  if (target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) {
    if (!NON_TEXT_INPUTS.has(target.type)) return true;
    return key === ' ' || key === 'Enter' || (target.type === 'radio' && key.startsWith('Arrow'));
  }
  return target instanceof HTMLElement && target.isContentEditable;
}

const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'color', 'range']);
