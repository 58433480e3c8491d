<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ExportSeriesDialog</name>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="194"/>
        <source>Export series into</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="202"/>
        <source>No model is selected.</source>
        <translation>未选择模型。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="207"/>
        <source>{0} · {1} steps</source>
        <translation>{0} · {1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="209"/>
        <source>GAN, one pass</source>
        <translation>GAN，一次生成</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="210"/>
        <source>Paints with {0} · style {1} · {2} (from the side panel)</source>
        <translation>使用 {0} · 风格 {1} · {2}（取自侧栏）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="217"/>
        <source>Choose a model first.</source>
        <translation>请先选择模型。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="221"/>
        <source>Choose a folder to export into.</source>
        <translation>请选择导出文件夹。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="246"/>
        <source>Export {0} paintings</source>
        <translation>导出 {0} 幅画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="250"/>
        <source>Waiting for the painter…</source>
        <translation>等待绘制线程…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="261"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="264"/>
        <source>Cancelled before it started.</source>
        <translation>已在开始前取消。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="271"/>
        <source>Painting…</source>
        <translation>正在绘制…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="310"/>
        <source>Wrote {0}</source>
        <translation>已写入 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="279"/>
        <source>, a contact sheet</source>
        <translation>、一张缩略图总览</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="281"/>
        <source>Done: {0} paintings, manifest.json{1} in {2}</source>
        <translation>完成：{0} 幅画、manifest.json{1}，位于 {2}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="291"/>
        <source>Cancelled. The {0} paintings written before that are kept and listed in manifest.json.</source>
        <translation>已取消。此前写入的 {0} 幅画已保留，并列在 manifest.json 中。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="300"/>
        <source>Export failed: {0}</source>
        <translation>导出失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="342"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="342"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="367"/>
        <source>Export series</source>
        <translation>导出系列</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="368"/>
        <source>Paintings</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="369"/>
        <source>First seed</source>
        <translation>起始种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="370"/>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="371"/>
        <source>File names</source>
        <translation>文件名</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="372"/>
        <source>Fields: {model} {style} {seed} {sampler} {steps}</source>
        <translation>可用字段：{model} {style} {seed} {sampler} {steps}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="373"/>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="374"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="375"/>
        <source>Contact sheet (a grid with seed captions)</source>
        <translation>缩略图总览（带种子标注的网格）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="376"/>
        <source>Upscale</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="377"/>
        <source>Framing</source>
        <translation>装裱</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="378"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="378"/>
        <source>Xuan paper</source>
        <translation>宣纸</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="378"/>
        <source>Hanging scroll</source>
        <translation>立轴</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="380"/>
        <source>Seal stamp (印章)</source>
        <translation>钤印（印章）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="381"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="382"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
</context>
<context>
    <name>SeriesActions</name>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="419"/>
        <source>Export series…</source>
        <translation>导出系列…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="420"/>
        <source>Paint a numbered series into a folder, with a manifest and a contact sheet</source>
        <translation>将一组编号画作绘制到文件夹，附清单与缩略图总览</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="421"/>
        <source>Repaint from PNG…</source>
        <translation>从 PNG 重绘…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="422"/>
        <source>Paint a painting again from the settings its PNG carries</source>
        <translation>按 PNG 中保存的设置重新绘制这幅画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="437"/>
        <source>Repaint from PNG</source>
        <translation>从 PNG 重绘</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="437"/>
        <source>Paintings (*.png);;All files (*)</source>
        <translation>画作 (*.png);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="450"/>
        <source>Cannot repaint {0}: {1}</source>
        <translation>无法重绘 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="454"/>
        <source>Repaint {0}</source>
        <translation>重绘 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="468"/>
        <source>seed {0} · repainted from {1}</source>
        <translation>种子 {0} · 由 {1} 重绘</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="471"/>
        <source>Repainted {0}: identical to the original, pixel for pixel.</source>
        <translation>已重绘 {0}：与原画逐像素完全相同。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="473"/>
        <source>Repainted {0}: the original has a different size.</source>
        <translation>已重绘 {0}：原画尺寸不同。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/export_dialog.py" line="477"/>
        <source>Repainted {0}: differs from the original by up to {1}/255 (another device or library version?).</source>
        <translation>已重绘 {0}：与原画最多相差 {1}/255（可能是不同设备或库版本）。</translation>
    </message>
</context>
<context>
    <name>WalkPage</name>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="277"/>
        <source>seed {0}</source>
        <translation>种子 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="288"/>
        <source>Select paintings in the list first (or double-click one).</source>
        <translation>请先在列表中选择画作（或双击一幅）。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="326"/>
        <source>= {0} frames ({1:.1f} s at {2:g} fps)</source>
        <translation>= {0} 帧（{2:g} 帧/秒时长 {1:.1f} 秒）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="329"/>
        <location filename="../../studio/ui/modes/walk.py" line="350"/>
        <source>Give two seeds or more (or one with the style walk).</source>
        <translation>请给出两个或更多种子（或一个种子加风格漫游）。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="340"/>
        <source>Choose a model first.</source>
        <translation>请先选择模型。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="345"/>
        <source>&apos;{0}&apos; is not a seed (whole numbers 0 to 2**63-1)</source>
        <translation>“{0}”不是种子（应为 0 到 2**63-1 的整数）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="360"/>
        <source>Walk of {0} frames</source>
        <translation>{0} 帧的漫游</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="363"/>
        <source>Waiting for the painter…</source>
        <translation>等待绘制线程…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="376"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="379"/>
        <location filename="../../studio/ui/modes/walk.py" line="423"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="401"/>
        <location filename="../../studio/ui/modes/walk.py" line="588"/>
        <source>Rendering…</source>
        <translation>正在渲染…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="401"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="408"/>
        <source>Exporting frame {0}/{1}</source>
        <translation>正在导出第 {0}/{1} 帧</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="414"/>
        <source>Rendered {0} frames</source>
        <translation>已渲染 {0} 帧</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="417"/>
        <source>Exported</source>
        <translation>已导出</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="419"/>
        <source>Exported {0}</source>
        <translation>已导出 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="425"/>
        <source>Walk cancelled.</source>
        <translation>漫游已取消。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="428"/>
        <source>Export cancelled: no file was written.</source>
        <translation>导出已取消：没有写入任何文件。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="432"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="434"/>
        <source>Walk failed: {0}</source>
        <translation>漫游失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="437"/>
        <source>Export failed: {0}</source>
        <translation>导出失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="515"/>
        <source>Pause (Space)</source>
        <translation>暂停（空格）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="515"/>
        <source>Play (Space)</source>
        <translation>播放（空格）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="523"/>
        <source>smooth</source>
        <translation>平滑</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="523"/>
        <source>a jump after frame {0}: more frames per segment help</source>
        <translation>第 {0} 帧后有跳变：增加每段帧数会有帮助</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="526"/>
        <source>Smoothness: largest frame-to-frame change is {0:.2f}× the mean (target ≤ 3) — {1}</source>
        <translation>平滑度：相邻帧最大变化为平均值的 {0:.2f} 倍（目标 ≤ 3）— {1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="534"/>
        <location filename="../../studio/ui/modes/walk.py" line="557"/>
        <source>Render a walk first.</source>
        <translation>请先渲染漫游。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="537"/>
        <source>GIF animation (*.gif)</source>
        <translation>GIF 动画 (*.gif)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="538"/>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4 视频 (*.mp4)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="539"/>
        <source>WebP animation (*.webp)</source>
        <translation>WebP 动画 (*.webp)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="540"/>
        <source>PNG frames in a new folder (*)</source>
        <translation>新文件夹中的 PNG 帧 (*)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="543"/>
        <source>Export walk</source>
        <translation>导出漫游</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="567"/>
        <source>Cannot export: {0}</source>
        <translation>无法导出：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="572"/>
        <source>Export {0}</source>
        <translation>导出 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="632"/>
        <source>Light → dark ink (淡墨 → 浓墨)</source>
        <translation>淡墨 → 浓墨（风格漫游）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="634"/>
        <source>Style {0} → {1}</source>
        <translation>风格 {0} → {1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="636"/>
        <source>Style walk: the same seeds morph from the first ink style to the second (style-conditional models)</source>
        <translation>风格漫游：同样的种子从第一种墨色渐变到第二种（适用于风格条件模型）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="652"/>
        <source>Loop back to the start</source>
        <translation>循环回到起点</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="653"/>
        <source>The walk returns to the first keyframe, so the animation loops seamlessly</source>
        <translation>漫游回到第一个关键帧，动画可无缝循环</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="656"/>
        <source>Ease in/out</source>
        <translation>缓入缓出</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="643"/>
        <location filename="../../studio/ui/modes/walk.py" line="650"/>
        <source>Walk</source>
        <translation>漫游</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="276"/>
        <source>light ink</source>
        <translation>淡墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="276"/>
        <source>dark ink</source>
        <translation>浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="448"/>
        <source>rendering · frame {0} of {1}</source>
        <translation>渲染中 · 第 {0}/{1} 帧</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="593"/>
        <source>Rendering frame {0} of {1}</source>
        <translation>正在渲染第 {0}/{1} 帧</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="594"/>
        <source>Rendering frame {0} of {1} · step {2}/{3}</source>
        <translation>正在渲染第 {0}/{1} 帧 · 第 {2}/{3} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="644"/>
        <source>Keyframes</source>
        <translation>关键帧</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="645"/>
        <source>Seeds, in order (e.g. 7, 8, 9):</source>
        <translation>种子，按顺序（如 7, 8, 9）：</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="646"/>
        <source>Each seed is a keyframe; the walk moves smoothly from one to the next</source>
        <translation>每个种子是一个关键帧；漫游从一个平滑过渡到下一个</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="647"/>
        <source>Or pick paintings from the gallery (double-click adds one):</source>
        <translation>或从画廊挑选画作（双击即可添加）：</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="648"/>
        <source>Add selected</source>
        <translation>添加所选</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="649"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="651"/>
        <source>Frames per segment</source>
        <translation>每段帧数</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="654"/>
        <source>Easing</source>
        <translation>缓动</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="655"/>
        <source>Linear</source>
        <translation>线性</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="657"/>
        <source>Sampler</source>
        <translation>采样器</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="658"/>
        <source>Deterministic samplers only, so nearby noise gives nearby paintings</source>
        <translation>仅限确定性采样器，相近的噪声才会得到相近的画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="659"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="660"/>
        <source>Frames per second</source>
        <translation>帧率</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="661"/>
        <source>Upscale on export</source>
        <translation>导出时放大</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="662"/>
        <source>Render walk</source>
        <translation>渲染漫游</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="663"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="664"/>
        <source>Save as GIF, MP4, WebP or a folder of PNG frames</source>
        <translation>保存为 GIF、MP4、WebP 或 PNG 帧文件夹</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="665"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="667"/>
        <source>Give two or more seeds (or pick paintings from the gallery), then press Render walk.
The frames play here; Space plays and pauses, the slider scrubs.</source>
        <translation>给出两个或更多种子（或从画廊挑选画作），然后点击“渲染漫游”。
帧会在这里播放；空格键播放/暂停，滑块可拖动浏览。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/walk.py" line="93"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
</context>
</TS>
