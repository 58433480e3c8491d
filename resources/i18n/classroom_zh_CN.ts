<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ClassroomPage</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="719"/>
        <source>Classroom</source>
        <translation>课堂</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="720"/>
        <source>Denoising filmstrip</source>
        <translation>去噪胶片</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="721"/>
        <source>Forward process</source>
        <translation>前向加噪</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="722"/>
        <source>GAN vs diffusion</source>
        <translation>GAN 与扩散对比</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="723"/>
        <source>Presentation (F5)</source>
        <translation>演示模式 (F5)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="725"/>
        <source>Presentation</source>
        <translation>演示模式</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="445"/>
        <source>Side by side needs a GAN and a diffusion model in the catalog (File → Open checkpoint…).</source>
        <translation>对比需要模型库中同时有 GAN 和扩散模型（文件 → 打开检查点…）。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="453"/>
        <source>GAN vs diffusion</source>
        <translation>GAN 与扩散对比</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="456"/>
        <location filename="../../studio/ui/modes/classroom.py" line="475"/>
        <source>GAN</source>
        <translation>GAN 对抗生成</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="456"/>
        <location filename="../../studio/ui/modes/classroom.py" line="476"/>
        <source>Diffusion</source>
        <translation>扩散</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="457"/>
        <source>{0}: {1}
{2} in {3:.2f} s</source>
        <translation>{0}：{1}
{2} 幅，用时 {3:.2f} 秒</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="462"/>
        <source>seed {0}</source>
        <translation>种子 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="469"/>
        <source>The GAN paints in one pass; diffusion takes {0} steps. Here diffusion took {1:.0f}× as long.</source>
        <translation>GAN 一步成画；扩散需要 {0} 步。这次扩散用时是 GAN 的 {1:.0f} 倍。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="477"/>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="478"/>
        <source>First seed</source>
        <translation>起始种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="479"/>
        <source>Paint both</source>
        <translation>两者同时作画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="480"/>
        <source>The same seeds from both kinds of model. Click a painting to see it large.</source>
        <translation>两类模型使用相同的种子。点击画作可放大查看。</translation>
    </message>
</context>
<context>
    <name>FilmstripView</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="153"/>
        <source>No diffusion model in the catalog: a GAN paints in one pass, with no steps to show.</source>
        <translation>模型库中没有扩散模型：GAN 一步成画，没有可展示的去噪步骤。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="167"/>
        <source>Filmstrip</source>
        <translation>去噪胶片</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="175"/>
        <location filename="../../studio/ui/modes/classroom.py" line="185"/>
        <source>step {0}/{1}</source>
        <translation>第 {0}/{1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="160"/>
        <location filename="../../studio/ui/modes/classroom.py" line="186"/>
        <source>x_t (noisy)</source>
        <translation>x_t（带噪图像）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="161"/>
        <location filename="../../studio/ui/modes/classroom.py" line="178"/>
        <location filename="../../studio/ui/modes/classroom.py" line="187"/>
        <source>x0 (predicted)</source>
        <translation>x0（预测的画作）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="191"/>
        <source>Seed {0}, {1} sampler, {2} steps: {3} frames. The last x_t is the finished painting.</source>
        <translation>种子 {0}，{1} 采样器，{2} 步：共 {3} 帧。最后一帧 x_t 就是完成的画作。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="194"/>
        <source>the finished painting · seed {0}</source>
        <translation>完成的画作 · 种子 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="207"/>
        <source>Export filmstrip</source>
        <translation>导出胶片</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="208"/>
        <source>PNG strip (*.png);;Animated GIF (*.gif)</source>
        <translation>PNG 胶片 (*.png);;GIF 动画 (*.gif)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="222"/>
        <source>Export failed: {0}</source>
        <translation>导出失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="224"/>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="232"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="233"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="234"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="235"/>
        <source>Every</source>
        <translation>间隔</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="236"/>
        <source>Show every k-th step (the last step is always shown)</source>
        <translation>每隔 k 步显示一帧（最后一步总会显示）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="237"/>
        <source>Paint filmstrip</source>
        <translation>生成胶片</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="238"/>
        <source>Export strip…</source>
        <translation>导出胶片…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="240"/>
        <source>Paint a filmstrip to watch noise become a painting.
Click any frame to see it large here.</source>
        <translation>生成一条去噪胶片，看噪声如何变成画作。
点击任意一帧可在此放大查看。</translation>
    </message>
</context>
<context>
    <name>ForwardView</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="308"/>
        <source>The gallery is empty: paint something first, or open an image.</source>
        <translation>画廊是空的：请先作画，或打开一张图片。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="314"/>
        <source>Open a painting</source>
        <translation>打开一幅画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="315"/>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp);;All files (*)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="325"/>
        <source>Cannot open {0}: {1}</source>
        <translation>无法打开 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="339"/>
        <source>Choose a painting first: the gallery&apos;s selected one, or open an image.</source>
        <translation>请先选一幅画：画廊中选中的那幅，或打开一张图片。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="342"/>
        <source>No diffusion model in the catalog: a GAN has no noise schedule.</source>
        <translation>模型库中没有扩散模型：GAN 没有噪声调度。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="345"/>
        <source>Forward process</source>
        <translation>前向加噪</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="357"/>
        <source>{0} under the schedule of {1} (T = {2}): drag the slider to add noise.</source>
        <translation>{0} 使用 {1} 的噪声调度（T = {2}）：拖动滑块加入噪声。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="376"/>
        <source>clean: SNR = ∞</source>
        <translation>原画：SNR = ∞</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="378"/>
        <source>ln SNR = {0:.2f}</source>
        <translation>ln SNR = {0:.2f}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="379"/>
        <source>t = {0} / {1}</source>
        <translation>t = {0} / {1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="380"/>
        <source>x_0: the painting</source>
        <translation>x_0：原画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="385"/>
        <source>Schedule of</source>
        <translation>噪声调度来自</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="386"/>
        <source>Use selected painting</source>
        <translation>使用选中的画作</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="387"/>
        <source>Open image…</source>
        <translation>打开图片…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="388"/>
        <source>Noise it</source>
        <translation>加噪</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="389"/>
        <source>Signal-to-noise ratio of the schedule (ln SNR)</source>
        <translation>噪声调度的信噪比 (ln SNR)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="390"/>
        <source>timestep t</source>
        <translation>时间步 t</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="392"/>
        <source>Choose a painting: it is noised step by step as the model saw it in training.</source>
        <translation>选一幅画：它会像模型训练时所见那样逐步加噪。</translation>
    </message>
</context>
<context>
    <name>PresentationView</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="607"/>
        <location filename="../../studio/ui/modes/classroom.py" line="660"/>
        <source>Press Space to paint</source>
        <translation>按空格键作画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="619"/>
        <source>seed {0}</source>
        <translation>种子 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="622"/>
        <source>淡墨 light ink</source>
        <translation>淡墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="622"/>
        <source>浓墨 dark ink</source>
        <translation>浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="624"/>
        <source>GAN · one pass</source>
        <translation>GAN · 一步生成</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="626"/>
        <source>{0} · {1} steps</source>
        <translation>{0} · {1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="638"/>
        <source>painting… step {0} of {1}</source>
        <translation>作画中… 第 {0}/{1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="644"/>
        <source>Painting failed: {0}</source>
        <translation>作画失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="654"/>
        <source>Ink Studio — presentation</source>
        <translation>水墨工作室 — 演示</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="655"/>
        <source>◀ Previous</source>
        <translation>◀ 上一幅</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="656"/>
        <source>Paint (Space)</source>
        <translation>作画 (空格)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="657"/>
        <source>Next ▶</source>
        <translation>下一幅 ▶</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="658"/>
        <source>Leave (Esc)</source>
        <translation>退出 (Esc)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="659"/>
        <source>Space: paint   ·   ← →: earlier and later paintings   ·   Esc or F11: leave</source>
        <translation>空格：作画   ·   ← →：前后翻看画作   ·   Esc 或 F11：退出</translation>
    </message>
</context>
<context>
    <name>_TaskView</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="74"/>
        <source>Failed: {0}</source>
        <translation>失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="75"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="82"/>
        <source>Working… (queued behind other jobs if the studio is busy)</source>
        <translation>处理中…（若工作室正忙，将排在其他任务之后）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="93"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
</TS>
