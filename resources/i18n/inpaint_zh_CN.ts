<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>GalleryMenuHook</name>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="865"/>
        <source>Inpaint…</source>
        <translation>局部重绘…</translation>
    </message>
</context>
<context>
    <name>InpaintPage</name>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="347"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="385"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="399"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="667"/>
        <source>Inpaint</source>
        <translation>局部重绘</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="349"/>
        <source>Open a painting (button above, or drop an image file here, or pick one from the gallery),
paint over what should be repainted, then press Inpaint.</source>
        <translation>打开一幅画（上方按钮、把图片文件拖到这里，或从画廊中选取），
涂抹需要重绘的部分，然后按“局部重绘”。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="353"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="354"/>
        <source>Open a painting to inpaint (or drop an image file on this tab)</source>
        <translation>打开要局部重绘的画（也可把图片文件拖到此页）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="355"/>
        <source>From gallery</source>
        <translation>从画廊</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="356"/>
        <source>Inpaint one of the paintings in the gallery</source>
        <translation>对画廊中的一幅画进行局部重绘</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="358"/>
        <source>Brush</source>
        <translation>画笔</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="358"/>
        <source>Paint what should be repainted (B)</source>
        <translation>涂抹需要重绘的部分（B）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="359"/>
        <source>Eraser</source>
        <translation>橡皮</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="359"/>
        <source>Erase the mask (E)</source>
        <translation>擦除蒙版（E）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="360"/>
        <source>Rectangle</source>
        <translation>矩形</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="360"/>
        <source>Drag a rectangle to fill it; right button or Alt removes (R)</source>
        <translation>拖出矩形并填充；右键或按住 Alt 为移除（R）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="361"/>
        <source>Lasso</source>
        <translation>套索</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="361"/>
        <source>Draw a closed shape to fill it; right button or Alt removes (L)</source>
        <translation>画出封闭形状并填充；右键或按住 Alt 为移除（L）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="366"/>
        <source>Brush size in pixels of the painting ([ and ])</source>
        <translation>笔刷大小（画面像素，[ 和 ]）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="367"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="368"/>
        <source>Clear the mask</source>
        <translation>清除蒙版</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="369"/>
        <source>Invert</source>
        <translation>反选</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="370"/>
        <source>Repaint everything except what is masked</source>
        <translation>重绘蒙版以外的全部</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="371"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="372"/>
        <source>Undo the last stroke (Ctrl+Z)</source>
        <translation>撤销上一笔（Ctrl+Z）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="373"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="374"/>
        <source>Redo (Ctrl+Shift+Z)</source>
        <translation>重做（Ctrl+Shift+Z）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="386"/>
        <source>Mask</source>
        <translation>蒙版</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="376"/>
        <source>Show or hide the mask (M)</source>
        <translation>显示或隐藏蒙版（M）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="375"/>
        <source>Show mask</source>
        <translation>显示蒙版</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="377"/>
        <source>Before/After</source>
        <translation>前后对比</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="378"/>
        <source>Show the original instead of the chosen result (or hold Space)</source>
        <translation>显示原画而非所选结果（或按住空格）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="379"/>
        <source>Save mask…</source>
        <translation>保存蒙版…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="380"/>
        <source>Save the mask as a PNG (white = repaint)</source>
        <translation>将蒙版保存为 PNG（白色 = 重绘）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="381"/>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="382"/>
        <source>Save the chosen result into the gallery (PNG with its settings)</source>
        <translation>把所选结果存入画廊（PNG，内含设置）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="383"/>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="384"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="387"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="388"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="389"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="390"/>
        <source>Jumps</source>
        <translation>回跳次数</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="391"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="392"/>
        <source>Candidates</source>
        <translation>候选数</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="393"/>
        <source>Ink style</source>
        <translation>墨色</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="395"/>
        <source>The style the masked part is repainted in; a painting made here starts with its own style</source>
        <translation>重绘遮罩部分所用的墨色；本工作室画的作品默认沿用它自己的墨色</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="398"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="401"/>
        <source>blend: fast, any sampler · repaint: RePaint, slower, more coherent · invert: GAN latent search</source>
        <translation>blend：快速，可用任意采样器 · repaint：RePaint，较慢，更连贯 · invert：GAN 潜变量搜索</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="403"/>
        <source>Resampling passes that let the hole and its surroundings agree</source>
        <translation>重采样次数，使重绘区与周围相融</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="404"/>
        <source>Candidate k uses seed + k. Pixels away from the mask stay exactly as in the original.</source>
        <translation>第 k 个候选使用种子 + k。远离蒙版的像素与原画完全相同。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="112"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="427"/>
        <source>Open a painting to inpaint</source>
        <translation>打开要局部重绘的画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="427"/>
        <source>Images ({0})</source>
        <translation>图片（{0}）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="486"/>
        <source>{0}: {1} × {2} px. Paint over what should be repainted.</source>
        <translation>{0}：{1} × {2} 像素。请涂抹需要重绘的部分。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="495"/>
        <source>The gallery is empty</source>
        <translation>画廊是空的</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="538"/>
        <source>Save mask</source>
        <translation>保存蒙版</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="538"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="824"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="553"/>
        <source>Cannot save {0}: {1}</source>
        <translation>无法保存 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="555"/>
        <source>Mask saved to {0}</source>
        <translation>蒙版已保存到 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="590"/>
        <source>the model&apos;s only style</source>
        <translation>此模型只有一种墨色</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="597"/>
        <source> (the painting&apos;s own)</source>
        <translation>（原画墨色）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="599"/>
        <source>淡墨 light ink</source>
        <translation>淡墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="601"/>
        <source>浓墨 dark ink</source>
        <translation>浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="641"/>
        <source>Open a painting first.</source>
        <translation>请先打开一幅画。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="647"/>
        <source>Choose a model first (in the Paint tab&apos;s model list).</source>
        <translation>请先选择模型（在“作画”页的模型列表中）。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="651"/>
        <source>The mask is empty: paint over what should be repainted first.</source>
        <translation>蒙版是空的：请先涂抹需要重绘的部分。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="671"/>
        <source>Waiting for the painter…</source>
        <translation>排队等候中…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="671"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="697"/>
        <source>Starting…</source>
        <translation>开始…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="673"/>
        <source>Inpainting {0} candidate(s) with {1} ({2})…</source>
        <translation>正在用 {1}（{2}）重绘 {0} 个候选…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="685"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="468"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="689"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="730"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="701"/>
        <source>Step {0}/{1}</source>
        <translation>第 {0}/{1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="716"/>
        <source>Done: {0} candidate(s)</source>
        <translation>完成：{0} 个候选</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="720"/>
        <source>Pick a candidate below (hold Space to compare with the original), then Keep it.</source>
        <translation>在下方选择一个候选（按住空格与原画对比），然后点“保留”。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="732"/>
        <source>Cancelled. {0} candidate(s) finished before that are shown.</source>
        <translation>已取消。之前完成的 {0} 个候选仍然显示。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="736"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="737"/>
        <source>Inpainting failed: {0}</source>
        <translation>局部重绘失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="409"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="755"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="757"/>
        <source>seed {0}</source>
        <translation>种子 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="787"/>
        <source>candidate {0} · seed {1}</source>
        <translation>候选 {0} · 种子 {1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="811"/>
        <source>Cannot save into {0}: {1}</source>
        <translation>无法保存到 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="816"/>
        <source>Kept in the gallery: {0}</source>
        <translation>已存入画廊：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="824"/>
        <source>Save result as</source>
        <translation>结果另存为</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="829"/>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
</context>
<context>
    <name>MaskCanvas</name>
    <message>
        <location filename="../../studio/ui/modes/maskcanvas.py" line="333"/>
        <source>original</source>
        <translation>原画</translation>
    </message>
</context>
</TS>
