<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>GalleryPanel</name>
    <message>
        <location filename="../../studio/ui/gallery.py" line="482"/>
        <location filename="../../studio/ui/gallery.py" line="508"/>
        <source>All models</source>
        <translation>全部模型</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="491"/>
        <source>{0} paintings</source>
        <translation>{0} 幅</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="493"/>
        <source>{0} of {1} paintings</source>
        <translation>显示 {0} / {1} 幅</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="497"/>
        <source>Export {0}…</source>
        <translation>导出 {0}…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="498"/>
        <source>Delete {0}…</source>
        <translation>删除 {0}…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="500"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="501"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="504"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="505"/>
        <source>Style</source>
        <translation>墨色</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="506"/>
        <source>Made</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="509"/>
        <source>All styles</source>
        <translation>全部墨色</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="511"/>
        <source>Any date</source>
        <translation>不限时间</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="511"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="511"/>
        <source>Past 7 days</source>
        <translation>近 7 天</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="511"/>
        <source>Past 30 days</source>
        <translation>近 30 天</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="515"/>
        <source>Save the selected paintings as PNG files, with their settings, into a folder (Ctrl/Shift-click selects several)</source>
        <translation>把选中的作品连同设置存为 PNG 文件，放进一个文件夹（按住 Ctrl/Shift 单击可多选）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="518"/>
        <source>Move the selected paintings to the trash, after asking</source>
        <translation>确认后把选中的作品移到回收站</translation>
    </message>
</context>
<context>
    <name>GalleryView</name>
    <message>
        <location filename="../../studio/ui/gallery.py" line="202"/>
        <source>No painting matches the filters.</source>
        <translation>没有符合筛选条件的作品。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="323"/>
        <source>Your paintings appear here, each saved the moment it is finished.</source>
        <translation>作品会出现在这里，每幅画完即自动保存。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="355"/>
        <location filename="../../studio/ui/gallery.py" line="363"/>
        <source>seed {0}</source>
        <translation>种子 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="360"/>
        <source>light</source>
        <translation>淡墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="360"/>
        <source>dark</source>
        <translation>浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="364"/>
        <source>model: {0}</source>
        <translation>模型：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="366"/>
        <source>style: {0}</source>
        <translation>墨色：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="368"/>
        <source>{0}, {1} steps</source>
        <translation>{0}，{1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="370"/>
        <source>{0} px</source>
        <translation>{0} px</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="372"/>
        <source>made {0}</source>
        <translation>创作于 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="386"/>
        <source>Export {0} paintings…</source>
        <translation>导出 {0} 幅作品…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="388"/>
        <source>Delete {0} paintings…</source>
        <translation>删除 {0} 幅作品…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="392"/>
        <source>Save as PNG…</source>
        <translation>另存为 PNG…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="393"/>
        <source>Copy seed</source>
        <translation>复制种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="394"/>
        <source>Reuse settings</source>
        <translation>沿用此设置</translation>
    </message>
    <message>
        <location filename="../../studio/ui/gallery.py" line="396"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../studio/ui/main_window.py" line="357"/>
        <source>Settings could not be saved: {0}</source>
        <translation>无法保存设置：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="374"/>
        <source>The model catalog could not be read: {0}</source>
        <translation>无法读取模型目录：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="390"/>
        <source>Skipped {0} unreadable model file(s)</source>
        <translation>跳过了 {0} 个无法读取的模型文件</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="421"/>
        <source>Model: {0} (loading…)</source>
        <translation>模型：{0}（载入中…）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="426"/>
        <source>Open checkpoint</source>
        <translation>打开模型检查点</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="428"/>
        <source>Checkpoints (*.safetensors *.pt *.pth *.ckpt *.bin);;All files (*)</source>
        <translation>模型检查点 (*.safetensors *.pt *.pth *.ckpt *.bin);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="434"/>
        <source>Open checkpoint folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="449"/>
        <source>This checkpoint cannot be opened: {0}</source>
        <translation>无法打开此模型：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="454"/>
        <source>Opened {0}</source>
        <translation>已打开 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="471"/>
        <source>No model is selected.</source>
        <translation>尚未选择模型。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="481"/>
        <source>Choose a model first (File → Open checkpoint… if the list is empty).</source>
        <translation>请先选择模型（若列表为空，请用 文件 → 打开模型…）。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="499"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="561"/>
        <location filename="../../studio/ui/main_window.py" line="573"/>
        <location filename="../../studio/ui/main_window.py" line="887"/>
        <source>Device: {0}</source>
        <translation>设备：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="564"/>
        <location filename="../../studio/ui/main_window.py" line="577"/>
        <location filename="../../studio/ui/main_window.py" line="891"/>
        <source>Model: {0}</source>
        <translation>模型：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="580"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="549"/>
        <source>Step {0}/{1} · painting {2} of {3}</source>
        <translation>第 {0}/{1} 步 · 第 {2} 幅，共 {3} 幅</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="522"/>
        <source>about {0} s left</source>
        <translation>约剩 {0} 秒</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="596"/>
        <source>preview · step {0}/{1}</source>
        <translation>预览 · 第 {0}/{1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="606"/>
        <source>Done: {0} in {1:.1f} s</source>
        <translation>完成：{0}，用时 {1:.1f} 秒</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="608"/>
        <source>Done: {0} painting(s) in {1:.1f} s</source>
        <translation>完成：{0} 幅，用时 {1:.1f} 秒</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="613"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="618"/>
        <source>Cancelled. Paintings finished before that are kept in the gallery.</source>
        <translation>已取消。此前画完的作品仍保留在画廊中。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="622"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="632"/>
        <source>Painting failed: {0}</source>
        <translation>作画失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="626"/>
        <location filename="../../studio/ui/main_window.py" line="893"/>
        <source>Model: none loaded</source>
        <translation>模型：未载入</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="649"/>
        <source>Cannot show {0}: {1}</source>
        <translation>无法显示 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="657"/>
        <source>Save painting</source>
        <translation>保存作品</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="657"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="688"/>
        <source>Export failed: {0}</source>
        <translation>导出失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="692"/>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="698"/>
        <source>Seed {0} copied</source>
        <translation>已复制种子 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="706"/>
        <source>The model &apos;{0}&apos; of this painting is not in the catalog.</source>
        <translation>此作品所用的模型“{0}”不在模型目录中。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="781"/>
        <source>Cannot delete {0}: {1}</source>
        <translation>无法删除 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="795"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="810"/>
        <source>Memory: {0} MB</source>
        <translation>内存：{0} MB</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="812"/>
        <source>GPU {0} MB</source>
        <translation>显存 {0} MB</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="818"/>
        <location filename="../../studio/ui/main_window.py" line="885"/>
        <source>About Ink Studio</source>
        <translation>关于水墨工作室</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="820"/>
        <source>&lt;h3&gt;Ink Studio 水墨工作室 {0}&lt;/h3&gt;&lt;p&gt;Paint traditional Chinese ink landscapes offline with diffusion and GAN models. Every painting keeps its settings inside the PNG.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;水墨工作室 Ink Studio {0}&lt;/h3&gt;&lt;p&gt;用扩散模型与 GAN 离线绘制中国传统水墨山水。每幅作品都把生成设置保存在 PNG 文件中。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="845"/>
        <source>Ink Studio 水墨工作室</source>
        <translation>水墨工作室 Ink Studio</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="846"/>
        <source>Paint</source>
        <translation>作画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="847"/>
        <location filename="../../studio/ui/main_window.py" line="876"/>
        <source>Gallery</source>
        <translation>画廊</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="849"/>
        <source>Choose a model and an ink style, then press Generate (Ctrl+Enter).
Each step&apos;s predicted painting appears here as it forms.</source>
        <translation>选择模型和墨色，然后点击“生成”（Ctrl+Enter）。
每一步预测出的画面会在这里逐渐成形。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="853"/>
        <location filename="../../studio/ui/main_window.py" line="868"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="854"/>
        <source>Stop the painting in progress (Esc)</source>
        <translation>停止正在进行的作画（Esc）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="855"/>
        <source>Fit to window (Ctrl+0)</source>
        <translation>适合窗口（Ctrl+0）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="135"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="547"/>
        <source>Step {0}/{1}</source>
        <translation>第 {0}/{1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="551"/>
        <source>Step {0}/{1} · all {2} paintings at once</source>
        <translation>第 {0}/{1} 步 · {2} 幅同时绘制</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="553"/>
        <source>Step {0}/{1} · paintings {2}–{3} of {4} at once</source>
        <translation>第 {0}/{1} 步 · 第 {2}–{3} 幅同时绘制（共 {4} 幅）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="634"/>
        <source>{0} failed: {1}</source>
        <translation>{0}失败：{1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="725"/>
        <source>Export {0} painting(s) to a folder</source>
        <translation>把 {0} 幅作品导出到文件夹</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="745"/>
        <source>Exported {0} painting(s) to {1}</source>
        <translation>已把 {0} 幅作品导出到 {1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="754"/>
        <source>Move {0} to the trash?</source>
        <translation>把 {0} 移到回收站？</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="756"/>
        <source>Move {0} paintings to the trash?</source>
        <translation>把 {0} 幅作品移到回收站？</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="759"/>
        <source>Delete paintings</source>
        <translation>删除作品</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="760"/>
        <source>They can be restored from the trash.</source>
        <translation>之后仍可从回收站恢复。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="787"/>
        <source>Moved {0} painting(s) to the trash ({1}).</source>
        <translation>已把 {0} 幅作品移到回收站（{1}）。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="859"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="860"/>
        <source>Open checkpoint…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="861"/>
        <source>Open checkpoint folder…</source>
        <translation>打开模型文件夹…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="862"/>
        <source>Show my models folder</source>
        <translation>显示我的模型文件夹</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="863"/>
        <source>Output folder…</source>
        <translation>输出文件夹…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="864"/>
        <source>Show gallery folder</source>
        <translation>显示画廊文件夹</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="865"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="866"/>
        <source>&amp;Paint</source>
        <translation>作画(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="867"/>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="869"/>
        <source>Cancel all jobs</source>
        <translation>取消全部任务</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="870"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="871"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="872"/>
        <source>Fit to window</source>
        <translation>适合窗口</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="873"/>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="874"/>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="875"/>
        <source>Actual size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="877"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="878"/>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="879"/>
        <source>Xuan paper (light)</source>
        <translation>宣纸（浅色）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="880"/>
        <source>Ink (dark)</source>
        <translation>墨色（深色）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="881"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="882"/>
        <source>System language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="883"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="884"/>
        <source>Model card…</source>
        <translation>模型说明…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="889"/>
        <source>Device: starting…</source>
        <translation>设备：启动中…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/main_window.py" line="916"/>
        <source>Settings of {0} restored.</source>
        <translation>已恢复 {0} 的设置。</translation>
    </message>
</context>
<context>
    <name>ModelCardDialog</name>
    <message>
        <location filename="../../studio/ui/dialogs.py" line="16"/>
        <source>Model card: {0}</source>
        <translation>模型说明：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/dialogs.py" line="20"/>
        <source>none (one style)</source>
        <translation>无（单一画风）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/dialogs.py" line="22"/>
        <source>Id</source>
        <translation>标识</translation>
    </message>
    <message>
        <location filename="../../studio/ui/dialogs.py" line="23"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../studio/ui/dialogs.py" line="24"/>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <location filename="../../studio/ui/dialogs.py" line="25"/>
        <source>Styles</source>
        <translation>墨色</translation>
    </message>
    <message>
        <location filename="../../studio/ui/dialogs.py" line="26"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../studio/ui/dialogs.py" line="27"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../studio/ui/dialogs.py" line="28"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location filename="../../studio/ui/dialogs.py" line="36"/>
        <source>This model ships without a card.</source>
        <translation>此模型没有附带说明。</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <location filename="../../studio/ui/panels.py" line="137"/>
        <location filename="../../studio/ui/panels.py" line="276"/>
        <source>No models found</source>
        <translation>未找到模型</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="209"/>
        <source>This model does not paint in this style</source>
        <translation>此模型不能画这种墨色</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="221"/>
        <source>Ink style</source>
        <translation>墨色</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="221"/>
        <source>Ink style (this model has only one)</source>
        <translation>墨色（此模型只有一种）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="238"/>
        <location filename="../../studio/ui/panels.py" line="276"/>
        <source>Looking for models…</source>
        <translation>正在查找模型…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="240"/>
        <source>No model yet: use File → Open checkpoint… or drop a checkpoint on the window.</source>
        <translation>还没有模型：请用 文件 → 打开模型…，或把模型文件拖到窗口上。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="243"/>
        <source>Diffusion</source>
        <translation>扩散模型</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="243"/>
        <source>GAN</source>
        <translation>GAN</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="244"/>
        <source>bundled</source>
        <translation>内置</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="244"/>
        <source>your model</source>
        <translation>自有模型</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="259"/>
        <source>no preview yet</source>
        <translation>暂无预览</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="266"/>
        <source>淡墨 light ink</source>
        <translation>淡墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="268"/>
        <source>浓墨 dark ink</source>
        <translation>浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="272"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="273"/>
        <source>Open checkpoint…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="274"/>
        <source>Model card…</source>
        <translation>模型说明…</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../../studio/ui/panels.py" line="460"/>
        <source>light ink</source>
        <translation>淡墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="460"/>
        <source>dark ink</source>
        <translation>浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="455"/>
        <source>#{0}: {1} × seed {2}</source>
        <translation>#{0}：{1} 幅 × 种子 {2}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="473"/>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="474"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="475"/>
        <source>No jobs waiting</source>
        <translation>没有等待中的任务</translation>
    </message>
</context>
<context>
    <name>SamplingPanel</name>
    <message>
        <location filename="../../studio/ui/panels.py" line="0"/>
        <source>{0} px (the model&apos;s own)</source>
        <translation>{0} 像素（模型本身的尺寸）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="0"/>
        <source>{0} px (ink upscaler)</source>
        <translation>{0} 像素（水墨放大器）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="0"/>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="0"/>
        <source>Larger than the model&apos;s own size: each doubling is painted by the ink upscaler</source>
        <translation>大于模型本身的尺寸时，每放大一倍都由水墨放大器绘制</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="384"/>
        <source>Seed locked: Generate repeats it</source>
        <translation>种子已锁定：每次生成都用它</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="384"/>
        <source>Seed unlocked: every Generate rolls a new one</source>
        <translation>种子未锁定：每次生成都换一个新种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="388"/>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="389"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="390"/>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="391"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="392"/>
        <source>Sampler</source>
        <translation>采样器</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="393"/>
        <source>Eta</source>
        <translation>随机度 η</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="394"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="395"/>
        <source>DDIM only: 0 is deterministic, 1 is like DDPM</source>
        <translation>仅用于 DDIM：0 为确定性，1 近似 DDPM</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="396"/>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="397"/>
        <source>Paint (Ctrl+Enter)</source>
        <translation>作画（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/panels.py" line="454"/>
        <source>The painting engine is loading…</source>
        <translation>绘画引擎载入中…</translation>
    </message>
</context>
<context>
    <name>qtcheck</name>
    <message>
        <location filename="../../studio/ui/qtcheck.py" line="48"/>
        <source>PySide6 {version} on Python {python} loses a reference to None in every Qt call and will abort the studio in a long session: install another release, e.g. pip install &apos;pyside6-essentials==6.11.3&apos;</source>
        <translation>PySide6 {version}（Python {python}）每次调用 Qt 都会丢失一个对 None 的引用，长时间使用时工作室会异常退出：请安装其他版本，例如 pip install &apos;pyside6-essentials==6.11.3&apos;</translation>
    </message>
</context>
</TS>
